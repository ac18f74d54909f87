"""Reads the Vault stand-in with the real hvac client and prints what hvac made of it, as
one JSON object: the test compares envcheck's verdict with it.

  python vault_hvac_check.py URL TOKEN NAMESPACE MOUNT PATH
"""

import json
import sys

import hvac
import hvac.exceptions

url, token, namespace, mount, path = sys.argv[1:6]
client = hvac.Client(url=url, token=token, namespace=namespace or None)
out = {}
try:
    health = client.sys.read_health_status(method="GET")
    # hvac returns the parsed body for 200, a Response object for the other documented codes.
    out["health"] = health if isinstance(health, dict) else {"status": health.status_code, **health.json()}
except hvac.exceptions.VaultDown as e:
    out["health"] = {"error": "VaultDown"}
except hvac.exceptions.VaultNotInitialized:
    out["health"] = {"error": "VaultNotInitialized"}
try:
    out["authenticated"] = client.is_authenticated()
    data = client.auth.token.lookup_self()["data"]
    out["token"] = {"policies": data["policies"], "ttl": data["ttl"], "renewable": data["renewable"]}
except hvac.exceptions.Forbidden:
    out["token"] = {"error": "Forbidden"}
except hvac.exceptions.VaultDown:
    out["token"] = {"error": "VaultDown"}
try:
    read = client.secrets.kv.v2.read_secret_version(path=path, mount_point=mount, raise_on_deleted_version=True)
    out["secret"] = {"keys": sorted(read["data"]["data"].keys()), "version": read["data"]["metadata"]["version"]}
except hvac.exceptions.Forbidden:
    out["secret"] = {"error": "Forbidden"}
except hvac.exceptions.InvalidPath:
    out["secret"] = {"error": "InvalidPath"}
except hvac.exceptions.VaultDown:
    out["secret"] = {"error": "VaultDown"}
print(json.dumps(out, sort_keys=True))
