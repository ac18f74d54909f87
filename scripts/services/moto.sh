# moto_server as an S3 that verifies SigV4 (docs/protocols.md §9, §11), for the s3 probe's
# integration tests. Sourced by scripts/test.sh, which has set up $ENVCHECK_VENV (moto[server]
# and boto3 from scripts/requirements-test.txt) and defined free_port/wait_for_port/log.
#
# The first MOTO_SETUP_REQUESTS requests are unauthenticated (INITIAL_NO_AUTH_ACTION_COUNT):
# exactly create_user, create_access_key and put_user_policy. Everything after, the role,
# the STS session and the bucket included, is signed with the new key, so moto checks every
# signature from then on; the set-up proves it by expecting a wrong secret and an unknown
# key to be refused.
#
# Exports: ENVCHECK_TEST_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY, _BUCKET, _REGION, and an STS
# assume_role session for the session-token test: ENVCHECK_TEST_S3_SESSION_ACCESS_KEY,
# _SESSION_SECRET_KEY, _SESSION_TOKEN.

MOTO_SETUP_REQUESTS=3

start_moto() {
  local workdir=$1
  local port
  port=$(free_port)
  INITIAL_NO_AUTH_ACTION_COUNT=$MOTO_SETUP_REQUESTS "$ENVCHECK_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" \
    >"$workdir/moto.log" 2>&1 &
  MOTO_PID=$!
  if ! wait_for_port "$port" 60; then
    log "moto_server did not start; its log:"
    cat "$workdir/moto.log" >&2
    return 1
  fi
  local exports
  if ! exports=$("$ENVCHECK_VENV/bin/python" - "http://127.0.0.1:$port" <<'PY'
import json, shlex, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
region = "us-east-1"
bucket = "envcheck-test"
config = Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})

def client(service, key, secret, token=None):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token, config=config)

# The three unauthenticated requests.
iam = client("iam", "bootstrap", "bootstrap")
user = iam.create_user(UserName="envcheck")["User"]
key = iam.create_access_key(UserName="envcheck")["AccessKey"]
iam.put_user_policy(UserName="envcheck", PolicyName="envcheck-test", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:*", "sts:AssumeRole", "iam:CreateRole", "iam:PutRolePolicy"],
                   "Resource": "*"}],
}))
access, secret = key["AccessKeyId"], key["SecretAccessKey"]

# From here on every request is signed and checked.
iam = client("iam", access, secret)
role = iam.create_role(RoleName="envcheck-session", AssumeRolePolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"AWS": user["Arn"]}, "Action": "sts:AssumeRole"}],
}))["Role"]
iam.put_role_policy(RoleName="envcheck-session", PolicyName="s3", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}))
session = client("sts", access, secret).assume_role(
    RoleArn=role["Arn"], RoleSessionName="envcheck-test", DurationSeconds=43200)["Credentials"]
client("s3", access, secret).create_bucket(Bucket=bucket)

def refused(key_id, secret_key, expected):
    try:
        client("s3", key_id, secret_key).list_objects_v2(Bucket=bucket, MaxKeys=1)
    except ClientError as error:
        if error.response["Error"]["Code"] == expected:
            return
        raise SystemExit(f"moto refused with {error.response['Error']['Code']}, not {expected}")
    raise SystemExit(f"moto accepted a request that should fail with {expected}: it is not checking signatures")

refused(access, secret + "x", "SignatureDoesNotMatch")
refused("AKIAUNKNOWNKEY000000", secret, "InvalidAccessKeyId")
client("s3", session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]).list_objects_v2(Bucket=bucket)

for name, value in [("ENDPOINT", endpoint), ("ACCESS_KEY", access), ("SECRET_KEY", secret), ("BUCKET", bucket),
                    ("REGION", region), ("SESSION_ACCESS_KEY", session["AccessKeyId"]),
                    ("SESSION_SECRET_KEY", session["SecretAccessKey"]), ("SESSION_TOKEN", session["SessionToken"])]:
    print(f"export ENVCHECK_TEST_S3_{name}={shlex.quote(value)}")
PY
  ); then
    log "moto set-up failed; its log:"
    tail -n 40 "$workdir/moto.log" >&2
    return 1
  fi
  eval "$exports"
  log "moto_server on port $port (bucket $ENVCHECK_TEST_S3_BUCKET)"
}

stop_moto() {
  [ -n "${MOTO_PID:-}" ] || return 0
  kill "$MOTO_PID" 2>/dev/null || true
  wait "$MOTO_PID" 2>/dev/null || true
  MOTO_PID=
}
