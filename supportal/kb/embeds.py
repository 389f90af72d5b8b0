"""Which video players may be embedded: a pure rule over SUPPORTAL_KB_VIDEO_HOSTS."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit


def embed_url_problem(url: str, allowed_hosts: Iterable[str]) -> str | None:
    """Why ``url`` may not be embedded, or None when it may (https, allow-listed host)."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return "Enter a valid player URL."
    if parts.scheme != "https" or not parts.hostname:
        return "Enter the player's https:// address."
    allowed = {host.lower() for host in allowed_hosts}
    if parts.hostname.lower() not in allowed or parts.username or parts.password:
        return "Videos may be embedded only from: " + ", ".join(sorted(allowed)) + "."
    return None


def frame_sources(allowed_hosts: Iterable[str]) -> list[str]:
    """The CSP frame-src entries for the allowed player hosts."""
    return [f"https://{host.lower()}" for host in allowed_hosts]
