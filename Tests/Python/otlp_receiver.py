"""An OTLP/HTTP traces receiver for the tests: it decodes every export with the real
opentelemetry-proto package (protobuf or JSON, by Content-Type), appends the decoded request
(protobuf's JSON mapping) and the headers to LOG_FILE as one JSON line, and answers as the
JSON state file says (re-read on every request):

  {"mode": "ok" | "partial" | "reject" | "html",
   "status": 400, "message": "...",              # reject: the status and google.rpc.Status message
   "rejected": 0, "error_message": "...",        # partial: the partial_success fields
   "require": ["api-key", "VALUE"]}              # a header that must be present, else 401

  python otlp_receiver.py STATE_FILE LOG_FILE PORT_FILE
"""

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2

STATE, LOG, PORT_FILE = sys.argv[1], sys.argv[2], sys.argv[3]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        with open(STATE) as f:
            state = json.load(f)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        is_json = self.headers.get("Content-Type", "").startswith("application/json")
        request = trace_service_pb2.ExportTraceServiceRequest()
        decoded, error = None, None
        try:
            if is_json:
                json_format.Parse(body.decode(), request)
            else:
                request.ParseFromString(body)
            decoded = json_format.MessageToDict(request)
        except Exception as e:  # the test asserts on it
            error = repr(e)
        with open(LOG, "a") as f:
            f.write(json.dumps({"path": self.path, "content_type": self.headers.get("Content-Type", ""),
                                "headers": {k.lower(): v for k, v in self.headers.items()},
                                "request": decoded, "error": error}) + "\n")
        ctype = "application/json" if is_json else "application/x-protobuf"

        def encode(message):
            return json_format.MessageToJson(message).encode() if is_json else message.SerializeToString()

        require = state.get("require")
        if require and self.headers.get(require[0]) != require[1]:
            return self.reply(401, encode(status_pb2.Status(code=16, message="missing or bad credentials")), ctype)
        if error is not None:
            return self.reply(400, encode(status_pb2.Status(code=3, message="cannot decode the request")), ctype)
        mode = state.get("mode", "ok")
        if mode == "reject":
            return self.reply(state.get("status", 400), encode(status_pb2.Status(code=3, message=state.get("message", "rejected"))), ctype)
        if mode == "html":
            return self.reply(200, b"<html>welcome to nginx</html>", "text/html")
        response = trace_service_pb2.ExportTraceServiceResponse()
        if mode == "partial":
            response.partial_success.rejected_spans = state.get("rejected", 0)
            response.partial_success.error_message = state.get("error_message", "")
        self.reply(200, encode(response), ctype)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
