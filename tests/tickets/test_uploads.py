"""Uploads are judged by their content, not their name, and by size and count limits."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from supportal.core.errors import InvalidInput
from supportal.tickets.uploads import check_upload, check_uploads


def png_bytes(size=(4, 4)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "PNG")
    return buf.getvalue()


def test_png_is_accepted_by_content():
    upload = SimpleUploadedFile("shot.txt", png_bytes(), content_type="text/plain")
    assert check_upload(upload) == "image/png"


def test_html_disguised_as_png_is_refused():
    upload = SimpleUploadedFile("shot.png", b"<html><script>alert(1)</script></html>")
    with pytest.raises(InvalidInput) as info:
        check_upload(upload)
    assert "not accepted" in info.value.errors["attachments"]


def test_svg_is_refused():
    upload = SimpleUploadedFile("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    with pytest.raises(InvalidInput):
        check_upload(upload)


def test_plain_text_log_is_accepted():
    upload = SimpleUploadedFile("error.log", b"Traceback (most recent call last):\n ...\n")
    assert check_upload(upload) == "text/plain"


def test_oversized_file_is_refused(settings):
    settings.SUPPORTAL_ATTACHMENT_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.txt", b"x" * 101)
    with pytest.raises(InvalidInput) as info:
        check_upload(upload)
    assert "larger than" in info.value.errors["attachments"]


def test_decompression_bomb_is_refused(settings):
    settings.SUPPORTAL_IMAGE_MAX_PIXELS = 100
    upload = SimpleUploadedFile("bomb.png", png_bytes((20, 20)))
    with pytest.raises(InvalidInput) as info:
        check_upload(upload)
    assert "pixels" in info.value.errors["attachments"]


def test_too_many_files_are_refused(settings):
    settings.SUPPORTAL_ATTACHMENT_MAX_COUNT = 2
    uploads = [SimpleUploadedFile(f"{n}.txt", b"hello") for n in range(3)]
    with pytest.raises(InvalidInput):
        check_uploads(uploads)
