"""Absolute links for mail and feeds: the portal's public URL, or this machine's own
address (``PORT``, as ``supportal serve`` listens) when none is set."""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    return (settings.SUPPORTAL_PUBLIC_URL or settings.SUPPORTAL_LOCAL_URL).rstrip("/")


def absolute_url(path: str) -> str:
    return site_url() + path
