"""A stand-in for Vault's HTTP API, as documented (docs/protocols.md section 13).

Serves sys/health, auth/token/lookup-self and KV v1/v2 reads from a JSON state file that is
re-read on every request, so a test changes the server by rewriting the file:

  {"health": {"initialized": true, "sealed": false, "standby": false,
              "performance_standby": false, "version": "1.15.4"},
   "tokens": {"<token>": {"policies": ["default", "app"], "ttl": 3600, "renewable": false,
                          "namespace": null, "paths": ["secret/data/app/*"]}},
   "secrets": {"secret/data/app/production/api": {"DB_PASSWORD": "..."}},
   "echo_token_in_errors": false}

Every request is appended to the log file as one JSON line (method, path, the
X-Vault-Token and X-Vault-Namespace headers) so that tests can prove what was sent.

  python vault_standin.py STATE_FILE LOG_FILE PORT_FILE
"""

import fnmatch
import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE, LOG, PORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]


def state():
    with open(STATE) as f:
        return json.load(f)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def errors(self, status, messages, token=""):
        if state().get("echo_token_in_errors") and token:
            messages = [m + " (token " + token + ")" for m in messages]
        self.reply(status, {"errors": messages})

    def envelope(self, data):
        return {"request_id": str(uuid.uuid4()), "lease_id": "", "renewable": False, "lease_duration": 0,
                "data": data, "wrap_info": None, "warnings": None, "auth": None}

    def do_GET(self):
        token = self.headers.get("X-Vault-Token", "")
        namespace = self.headers.get("X-Vault-Namespace", "")
        path = self.path.split("?", 1)[0]
        with open(LOG, "a") as f:
            f.write(json.dumps({"method": "GET", "path": path, "token": token, "namespace": namespace}) + "\n")
        s = state()
        if path == "/v1/sys/health":
            h = {"initialized": True, "sealed": False, "standby": False, "performance_standby": False,
                 "replication_performance_mode": "disabled", "replication_dr_mode": "disabled",
                 "server_time_utc": int(time.time()), "version": "1.15.4", "cluster_name": "vault-cluster-standin",
                 "cluster_id": "6e0b1b1c-2f21-4a8c-9f0e-5c1d2b3a4f5e"}
            h.update(s.get("health", {}))
            status = 200
            if not h["initialized"]:
                status = 501
            elif h["sealed"]:
                status = 503
            elif h["performance_standby"]:
                status = 473
            elif h["standby"]:
                status = 429
            return self.reply(status, h)
        if not path.startswith("/v1/"):
            return self.errors(404, [])
        health = s.get("health", {})
        if health.get("initialized") is False:
            return self.errors(503, ["Vault is not initialized"])
        if health.get("sealed"):
            return self.errors(503, ["Vault is sealed"])
        info = s.get("tokens", {}).get(token)
        if info is None or (info.get("namespace") or "") != namespace:
            return self.errors(403, ["permission denied"], token)
        if path == "/v1/auth/token/lookup-self":
            ttl = info.get("ttl", 0)
            now = int(time.time())
            return self.reply(200, self.envelope({
                "accessor": "acc-" + token[-4:], "creation_time": now - 60, "creation_ttl": ttl,
                "display_name": info.get("display_name", "token-app"), "entity_id": "",
                "expire_time": None if ttl == 0 else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now + ttl)),
                "explicit_max_ttl": 0, "id": token, "issue_time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 60)),
                "meta": None, "num_uses": 0, "orphan": False, "path": "auth/token/create",
                "policies": info.get("policies", ["default"]), "renewable": info.get("renewable", False),
                "ttl": ttl, "type": "service"}))
        secret_path = path[len("/v1/"):]
        allowed = "root" in info.get("policies", []) or any(fnmatch.fnmatch(secret_path, p) for p in info.get("paths", []))
        if not allowed:
            return self.errors(403, ["1 error occurred:\n\t* permission denied\n\n"], token)
        secrets = s.get("secrets", {})
        if secret_path not in secrets:
            return self.errors(404, [])
        fields = secrets[secret_path]
        if "/data/" in secret_path:
            meta = {"created_time": "2026-11-30T10:00:00.000000Z", "custom_metadata": None, "deletion_time": "",
                    "destroyed": False, "version": 3}
            return self.reply(200, self.envelope({"data": fields, "metadata": meta}))
        return self.reply(200, self.envelope(fields))


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
