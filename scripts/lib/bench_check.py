"""What `envcheck check` does, written as the Python script a team would otherwise keep:
the usual client libraries, one check after another, exit 1 on the first failure.

  Postgres login + SELECT 1 (psycopg), S3 ListObjectsV2 with max-keys 1 (boto3),
  Redis AUTH + PING (redis-py), OpenRouter GET /key (requests), and a scan of the Next.js
  build's static/ and server/app files for every NEXT_PUBLIC_* value.

Usage: python bench_check.py ENV_FILE   (KEY=VALUE lines, values optionally double-quoted)
"""
import os
import sys

import boto3
import psycopg
import redis
import requests
from botocore.config import Config


def load(path):
    config = {}
    with open(path) as handle:
        for line in handle:
            line = line.strip()
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            config[key] = value
    return config


def check_postgres(c):
    with psycopg.connect(c["DATABASE_URL"], connect_timeout=5) as conn:
        assert conn.execute("SELECT 1").fetchone()[0] == 1


def check_s3(c):
    s3 = boto3.client("s3", endpoint_url=c["S3_ENDPOINT"], region_name=c["S3_REGION"],
                      aws_access_key_id=c["S3_ACCESS_KEY"], aws_secret_access_key=c["S3_SECRET_KEY"],
                      config=Config(connect_timeout=5, read_timeout=5, retries={"max_attempts": 1},
                                    s3={"addressing_style": "path"}))
    s3.list_objects_v2(Bucket=c["S3_BUCKET"], MaxKeys=1)


def check_redis(c):
    assert redis.Redis.from_url(c["REDIS_URL"], socket_timeout=5, socket_connect_timeout=5).ping()


def check_openrouter(c):
    reply = requests.get(c["OPENROUTER_BASE_URL"].rstrip("/") + "/key", timeout=5,
                         headers={"Authorization": "Bearer " + c["OPENROUTER_API_KEY"]})
    reply.raise_for_status()
    data = reply.json()["data"]
    assert data["limit_remaining"] is None or data["limit_remaining"] > 0


def check_next_public(c):
    wanted = {key: value.encode() for key, value in c.items() if key.startswith("NEXT_PUBLIC_")}
    found = set()
    build = c["NEXT_BUILD_DIR"]
    for top in ("static", "server/app", "server/pages"):
        for root, _dirs, files in os.walk(os.path.join(build, top)):
            for name in files:
                with open(os.path.join(root, name), "rb") as handle:
                    data = handle.read()
                found.update(key for key, value in wanted.items() if key not in found and value in data)
    missing = sorted(set(wanted) - found)
    assert not missing, f"not baked: {missing}"


def main():
    config = load(sys.argv[1])
    for check in (check_postgres, check_s3, check_redis, check_openrouter, check_next_public):
        check(config)
    print("all 5 checks passed")


main()
