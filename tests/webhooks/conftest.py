"""A real receiver on loopback: it records each post and verifies its signature with the
endpoint's secret, as an integration would."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from supportal.webhooks import signing
from supportal.webhooks.models import Endpoint


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    answers: list[int] = field(default_factory=list)  # statuses to answer, then 200s
    posts: list[Received] = field(default_factory=list)

    def verified(self, secret: str, post: Received) -> bool:
        return signing.verify(
            secret=secret,
            header=post.headers[signing.HEADER],
            body=post.body,
            now=int(time.time()),
        )


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.posts.append(Received(dict(self.headers.items()), body))
            self.send_response(state.answers.pop(0) if state.answers else 200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/supportal"
    # Loopback is not a public address: this receiver is let through by name, as an
    # administrator would list an internal one.
    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    yield state
    server.shutdown()
    server.server_close()


def make_endpoint(url: str, *events: str, **fields: object) -> Endpoint:
    return Endpoint.objects.create(name="Integration", url=url, events=list(events), **fields)
