#!/usr/bin/env python3
"""botocore's S3 SigV4 signature for each request, as a second, independent implementation
for envcheck's signer (Tests/IntegrationTests/S3/SigV4BotocoreTests.swift).

Input on stdin: a JSON array of cases
  {"method", "host", "path" (raw), "query": [[name, value-or-null], ...] (raw),
   "headers": [[name, value], ...], "body": text, "access_key", "secret_key",
   "token" (or null), "region", "timestamp" (YYYYMMDDTHHMMSSZ)}
Output on stdout: a JSON array of {"signature", "canonical_request", "authorization"}.

The URL is built the way botocore's own serializer builds one (urllib's quote, keeping
'/' and '~' in the path); query parameters go in `params`, which botocore encodes and
sorts itself.
"""
import datetime
import json
import sys
from urllib.parse import quote

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def sign(case):
    timestamp = datetime.datetime.strptime(case["timestamp"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda *args, **kwargs: timestamp
    url = "http://" + case["host"] + quote(case["path"], safe="/~")
    params = [(name, "" if value is None else value) for name, value in case["query"]]
    request = AWSRequest(method=case["method"], url=url, data=case["body"].encode("utf-8"),
                         headers=dict(case["headers"]), params=params)
    credentials = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    auth = botocore.auth.S3SigV4Auth(credentials, "s3", case["region"])
    auth.add_auth(request)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # so that the canonical request is the one signed
    return {
        "signature": authorization.rsplit("Signature=", 1)[1],
        "canonical_request": auth.canonical_request(request),
        "authorization": authorization,
    }


def main():
    cases = json.load(sys.stdin)
    json.dump([sign(case) for case in cases], sys.stdout)


if __name__ == "__main__":
    main()
