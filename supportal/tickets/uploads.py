"""Upload checks: type from the content (magic bytes), size and count limits, image bombs."""

from __future__ import annotations

from collections.abc import Sequence

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from supportal.core.errors import InvalidInput

SNIFF_BYTES = 8192


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    if kind is not None:
        mime: str = kind.mime
        return mime
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The window may cut a multi-byte character in half.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html", "<svg", "<?xml", "<script")):
        return "text/html"
    return "text/plain"


def check_upload(upload: UploadedFile) -> str:
    """Return the sniffed content type of an acceptable upload, or raise InvalidInput."""
    name = upload.name or "file"
    if upload.size is not None and upload.size > settings.SUPPORTAL_ATTACHMENT_MAX_BYTES:
        limit_mb = settings.SUPPORTAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise InvalidInput({"attachments": f"{name} is larger than the {limit_mb} MB limit."})
    if not upload.size:
        raise InvalidInput({"attachments": f"{name} is empty."})
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    content_type = _sniff(head)
    if content_type not in settings.SUPPORTAL_ATTACHMENT_TYPES:
        raise InvalidInput(
            {
                "attachments": f"{name}: this type of file is not accepted "
                "(screenshots, videos, PDF, ZIP and plain text are)."
            }
        )
    if content_type.startswith("image/"):
        _check_image(upload, name)
    return content_type


def _check_image(upload: UploadedFile, name: str) -> None:
    try:
        with Image.open(upload) as image:
            width, height = image.size
    except Exception:
        raise InvalidInput({"attachments": f"{name} is not a readable image."}) from None
    finally:
        upload.seek(0)
    if width * height > settings.SUPPORTAL_IMAGE_MAX_PIXELS:
        raise InvalidInput({"attachments": f"{name} has too many pixels to accept."})


def check_uploads(uploads: Sequence[UploadedFile]) -> list[str]:
    if len(uploads) > settings.SUPPORTAL_ATTACHMENT_MAX_COUNT:
        raise InvalidInput(
            {
                "attachments": _("At most %(count)s files can be attached at once.")
                % {"count": settings.SUPPORTAL_ATTACHMENT_MAX_COUNT}
            }
        )
    return [check_upload(upload) for upload in uploads]
