"""The provider's recording URL, served by a real HTTP server on loopback for the voicemail
tests: it answers with ``body`` ("ok"), 404, or slowly ("slow"), and counts the requests."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Recording:
    def __init__(self, body: bytes, port: int = 0):
        self.mode = "ok"
        self.requests = 0
        recording = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                recording.requests += 1
                if recording.mode == "slow":
                    time.sleep(1.5)
                if recording.mode == "404":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/Recordings/RE100"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
