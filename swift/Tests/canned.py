"""A scripted HTTP responder for the Swift tests (Foundation has no HTTP server
on Linux): `python3 canned.py REPLIES.json SEEN.jsonl` prints `listening on URL`,
answers each request with the next reply of REPLIES.json (the last one repeats:
[{"status": 200, "body": "...", "headers": {...}, "delay": 0.0}]) and appends
each request it saw to SEEN.jsonl ({"method", "path", "headers", "body"})."""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

replies = json.load(open(sys.argv[1]))
seen_path = sys.argv[2]
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        n = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(n) if n else b""
        with lock:
            with open(seen_path, "a") as f:
                headers = {k.lower(): v for k, v in self.headers.items()}
                f.write(json.dumps({"method": self.command, "path": self.path, "headers": headers,
                                    "body": body.decode("utf-8", "replace")}) + "\n")
            reply = replies.pop(0) if len(replies) > 1 else replies[0]
        if reply.get("delay"):
            time.sleep(reply["delay"])
        data = reply.get("body", "{}").encode()
        try:
            self.send_response(reply["status"])
            for k, v in reply.get("headers", {}).items():
                self.send_header(k, v)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    do_GET = do_POST = do_PATCH = do_DELETE = handle_any


httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
print(f"listening on http://127.0.0.1:{httpd.server_address[1]}", flush=True)
try:
    httpd.serve_forever(poll_interval=0.02)
except KeyboardInterrupt:
    pass
