"""Upload limits hold while the request is read (``supportal.core.uploads``), over real HTTP.

Per file and per count: a file past ``SUPPORTAL_ATTACHMENT_MAX_BYTES``, or past
``SUPPORTAL_ATTACHMENT_MAX_COUNT`` files, is dropped as it arrives (no temporary file is
left in ``FILE_UPLOAD_TEMP_DIR``), and the ticket form, the reply form and the chat upload
say why, with what was typed kept. The whole body: past its cap the server answers 413
without reading the rest, on the WSGI live server and on uvicorn (production)."""

from __future__ import annotations

import io
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings as django_settings
from PIL import Image

from supportal.chat.models import Chat, ChatFile
from supportal.demo.loader import DEMO_PASSWORD, Demo
from supportal.tickets.models import Attachment, Reply, Ticket
from tests.factories import make_ticket

from ..chat import servers

LIMIT = 64 * 1024  # the per-file limit in these tests: 64 KB


def png_bytes(size: int = 0) -> bytes:
    """A valid PNG, padded past ``size`` bytes with a trailing chunk PIL ignores."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (10, 120, 200)).save(buffer, format="PNG")
    data = buffer.getvalue()
    return data + b"\0" * max(0, size - len(data))


@pytest.fixture
def limits(settings, tmp_path) -> Path:
    settings.SUPPORTAL_ATTACHMENT_MAX_BYTES = LIMIT
    settings.SUPPORTAL_ATTACHMENT_MAX_COUNT = 2
    spool = tmp_path / "upload-spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file goes through the spool directory
    return spool


@pytest.fixture
def web(committed_demo, live_server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield client


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _log_in(web: httpx.Client, email: str) -> None:
    page = web.get("/accounts/login/")
    response = web.post(
        "/accounts/login/",
        data={"username": email, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": _csrf(page)},
    )
    assert response.status_code == 302, response.text


def _media_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _ticket_form(web: httpx.Client, subject: str) -> dict[str, str]:
    return {
        "csrfmiddlewaretoken": _csrf(web.get("/tickets/new/")),
        "product": "pressero",
        "kind": "question",
        "subject": subject,
        "description": "Typed & kept <b>as is</b>",
        "site_name": "Acme Storefront",
    }


def test_an_oversized_file_on_the_ticket_form_is_refused_and_what_was_typed_is_kept(
    web, committed_demo: Demo, limits: Path
) -> None:
    _log_in(web, committed_demo.bob.email)
    media_before = _media_files()
    response = web.post(
        "/tickets/new/",
        data=_ticket_form(web, "Oversized upload"),
        files=[("attachments", ("huge.png", png_bytes(LIMIT * 4), "image/png"))],
    )
    assert response.status_code == 200, response.text
    assert "huge.png is larger than the 64 KB limit." in response.text
    assert 'value="Oversized upload"' in response.text  # the subject is kept
    assert "Typed &amp; kept &lt;b&gt;as is&lt;/b&gt;" in response.text  # and the description
    assert 'value="Acme Storefront"' in response.text  # a field after the files too
    assert not Ticket.objects.filter(subject="Oversized upload").exists()
    assert _media_files() == media_before
    assert list(limits.iterdir()) == [], "what was written of the file is deleted"


def test_files_past_the_count_are_refused_on_the_ticket_form(
    web, committed_demo: Demo, limits: Path
) -> None:
    _log_in(web, committed_demo.bob.email)
    files = [("attachments", (f"shot-{i}.png", png_bytes(), "image/png")) for i in range(3)]
    response = web.post("/tickets/new/", data=_ticket_form(web, "Too many files"), files=files)
    assert response.status_code == 200, response.text
    assert "At most 2 files can be attached at once." in response.text
    assert 'value="Too many files"' in response.text
    assert not Ticket.objects.filter(subject="Too many files").exists()
    # Within the limits the same form files the ticket with its files.
    response = web.post(
        "/tickets/new/",
        data=_ticket_form(web, "Two files"),
        files=files[:2],
        follow_redirects=False,
    )
    assert response.status_code == 302, response.text
    ticket = Ticket.objects.get(subject="Two files")
    assert Attachment.objects.filter(ticket=ticket).count() == 2
    assert list(limits.iterdir()) == []


def test_an_oversized_file_on_the_reply_form_is_refused_and_the_reply_kept(
    web, committed_demo: Demo, limits: Path
) -> None:
    bob = committed_demo.bob
    ticket = make_ticket(bob, subject="Reply limits")
    _log_in(web, bob.email)
    page = web.get(f"/tickets/{ticket.pk}/")
    replies_before = Reply.objects.filter(ticket=ticket).count()
    response = web.post(
        f"/tickets/{ticket.pk}/",
        data={"csrfmiddlewaretoken": _csrf(page), "body": "My reply, typed once"},
        files=[("attachments", ("video.png", png_bytes(LIMIT + 1), "image/png"))],
    )
    assert response.status_code == 200, response.text
    assert "video.png is larger than the 64 KB limit." in response.text
    assert "My reply, typed once" in response.text
    assert Reply.objects.filter(ticket=ticket).count() == replies_before
    assert not Attachment.objects.filter(ticket=ticket).exists()
    assert list(limits.iterdir()) == []


def test_an_oversized_chat_file_is_refused_with_a_422(
    web, committed_demo: Demo, limits: Path
) -> None:
    demo = committed_demo
    chat = Chat.objects.create(
        organization=demo.acme,
        customer=demo.alice,
        product=demo.acme.products.get(slug="pressero"),
        subject="Upload limits",
    )
    _log_in(web, demo.alice.email)
    csrf = _csrf(web.get("/tickets/new/"))
    response = web.post(
        f"/chat/{chat.pk}/files/",
        data={"csrfmiddlewaretoken": csrf},
        files=[("file", ("big.png", png_bytes(LIMIT * 2), "image/png"))],
    )
    assert response.status_code == 422, response.text
    assert response.json() == {"errors": {"file": "big.png is larger than the 64 KB limit."}}
    assert not ChatFile.objects.filter(chat=chat).exists()
    assert list(limits.iterdir()) == []


def _streamed(total: int, chunk: int, sent: list[int]) -> Iterator[bytes]:
    block = b"x" * chunk
    while sent[0] < total:
        sent[0] += chunk
        yield block


def test_a_body_past_the_cap_is_refused_on_the_live_server_and_nothing_is_stored(
    web, committed_demo: Demo, settings, limits: Path
) -> None:
    # Django's WSGI test server drains an unread body itself after the answer, so here the
    # test shows the answer and that nothing is stored; the uvicorn tests below show that
    # the production server does not wait for the body.
    settings.SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES = 1024 * 1024
    _log_in(web, committed_demo.bob.email)
    total = 16 * 1024 * 1024
    sent = [0]
    tickets_before = Ticket.objects.count()
    media_before = _media_files()
    response = web.post(
        "/tickets/new/",
        content=_streamed(total, 64 * 1024, sent),
        headers={
            "Content-Type": "multipart/form-data; boundary=xyz",
            "Content-Length": str(total),
        },
    )
    assert response.status_code == 413, response.text
    assert "larger than the 1 MB limit" in response.text
    assert Ticket.objects.count() == tickets_before
    assert _media_files() == media_before
    assert list(limits.iterdir()) == []


def test_the_api_answers_413_in_json_for_a_body_past_the_cap(web, committed_demo) -> None:
    too_big = django_settings.SUPPORTAL_REQUEST_MAX_BYTES + 1
    response = web.post(
        "/api/v1/tickets",
        content=b"{" + b" " * (too_big - 2) + b"}",
        headers={"Content-Type": "application/json", "Authorization": "Bearer x"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


# --- uvicorn: the production server ------------------------------------------------------


@pytest.fixture(scope="module")
def uvicorn_server(tmp_path_factory) -> Iterator[str]:
    data_dir = servers.demo_data_dir(tmp_path_factory)
    log = data_dir / "uvicorn.log"
    with servers.uvicorn(
        data_dir, log, SUPPORTAL_UPLOAD_REQUEST_MAX_BYTES=str(1024 * 1024)
    ) as base:
        yield base


def _raw_request(base: str, head: str, body: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head.encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


def test_uvicorn_answers_413_from_the_content_length_without_waiting_for_the_body(
    uvicorn_server: str,
) -> None:
    # 64 KB of a declared 300 MB: if the server waited for the body this would time out.
    head = (
        "POST /tickets/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {300 * 1024 * 1024}\r\n\r\n"
    )
    answer = _raw_request(uvicorn_server, head, b"x" * 65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_uvicorn_stops_reading_a_chunked_body_at_the_cap(uvicorn_server: str) -> None:
    # No Content-Length: 1 MB + 64 KB in chunks, and the body never ends. The server
    # counts what arrives and answers 413 once past the cap, without the end of the body.
    head = (
        "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * 65536
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(6 * 16 + 1))
    answer = _raw_request(uvicorn_server, head, body)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"application/json" in answer


def test_uvicorn_refuses_a_streamed_body_over_httpx(uvicorn_server: str) -> None:
    total = 100 * 1024 * 1024
    sent = [0]
    with httpx.Client(base_url=uvicorn_server, timeout=60) as client:
        try:
            response = client.post(
                "/tickets/new/",
                content=_streamed(total, 64 * 1024, sent),
                headers={"Content-Type": "multipart/form-data; boundary=xyz"},
            )
        except httpx.TransportError:
            response = None
        if response is not None:
            assert response.status_code == 413, response.text
        assert client.get("/healthz").status_code == 200
    assert sent[0] < total // 4, f"the client sent {sent[0]} of {total} bytes"


def _send_whole_body_then_read_answer(base: str, head: bytes, body: bytes) -> bytes:
    """What most clients do: send the whole request, then read the answer to its end.
    A reset connection raises (ConnectionResetError, BrokenPipeError) and fails the test."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return answer


def _complete_answer(answer: bytes) -> tuple[bytes, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    assert length is not None, head
    assert len(body) == int(length.group(1)), (head, body)
    return head, body


def test_a_refused_page_upload_is_read_to_its_end_so_the_client_reads_the_413(
    uvicorn_server: str,
) -> None:
    """The upload cap is 1 MB; the browser sends 4 MB with its Content-Length, and reads
    the answer only when it has sent everything: it gets the whole 413 page, not a reset."""
    body = b"x" * (4 * 1024 * 1024)
    head = (
        "POST /tickets/new/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    head_out, page = _complete_answer(_send_whole_body_then_read_answer(uvicorn_server, head, body))
    assert head_out.startswith(b"HTTP/1.1 413"), head_out
    assert b"larger than the 1 MB limit" in page


def test_a_refused_chunked_api_body_is_read_to_its_end_so_the_client_reads_the_413(
    uvicorn_server: str,
) -> None:
    chunk = b"x" * 65536
    too_big = django_settings.SUPPORTAL_REQUEST_MAX_BYTES + 2 * 1024 * 1024
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(too_big // len(chunk)))
    head = (
        b"POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer = _send_whole_body_then_read_answer(uvicorn_server, head, body + b"0\r\n\r\n")
    head_out, detail = _complete_answer(answer)
    assert head_out.startswith(b"HTTP/1.1 413"), head_out
    assert json.loads(detail)["code"] == "request_too_large"
