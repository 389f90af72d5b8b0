"""Helpers for page tests: tiny real files and checks that a page obeys the strict CSP."""

from __future__ import annotations

import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from PIL import Image

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)


def png(name: str = "screenshot.png") -> SimpleUploadedFile:
    """A real 2×2 PNG made with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def html_disguised_as_png(name: str = "innocent.png") -> SimpleUploadedFile:
    body = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
    return SimpleUploadedFile(name, body, content_type="image/png")


def assert_csp_clean(response: HttpResponse) -> None:
    """The page sends a CSP header and has no inline script, style block or style attribute."""
    csp = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp
    html = response.content.decode()
    for attrs, body in _SCRIPT.findall(html):
        assert "src=" in attrs, f"inline script: {body[:80]!r}"
        assert body.strip() == "", f"script with a body: {body[:80]!r}"
    assert "<style" not in html.lower()
    assert not re.search(r"\sstyle\s*=", html, re.IGNORECASE)
    assert not re.search(r"\son[a-z]+\s*=", html, re.IGNORECASE), "inline event handler"
