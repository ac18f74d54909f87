"""A local stand-in for OpenRouter's key endpoint, for the demo and the benchmark.

GET /api/v1/key answers like OpenRouter does: 200 with the key's limits for the one key it
knows (given as argv[2]), 401 for any other. It spends nothing and needs only the stdlib.
Usage: python3 openrouter_stub.py PORT KEY
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, KEY = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.rstrip("/") not in ("/api/v1/key", "/api/v1/auth/key"):
            return self.reply(404, {"error": {"code": 404, "message": "Not Found"}})
        if self.headers.get("Authorization") != f"Bearer {KEY}":
            return self.reply(401, {"error": {"code": 401, "message": "No auth credentials found"}})
        self.reply(200, {"data": {
            "label": KEY[:12] + "..." + KEY[-3:], "limit": 25.0, "limit_remaining": 19.75, "limit_reset": "monthly",
            "usage": 5.25, "usage_daily": 0.4, "usage_weekly": 2.1, "usage_monthly": 5.25,
            "is_free_tier": False, "include_byok_in_limit": False,
        }})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
