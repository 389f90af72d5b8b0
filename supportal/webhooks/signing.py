"""The signature on every delivery: HMAC-SHA256 over ``"<timestamp>.<body>"`` with the
endpoint's secret, sent as ``Supportal-Signature: t=<timestamp>,v1=<hex>`` (the scheme
Stripe uses; GitHub's is the same HMAC without the timestamp). The timestamp in the signed
text lets a receiver refuse an old delivery replayed to it. Pure: no database."""

from __future__ import annotations

import hashlib
import hmac

HEADER = "Supportal-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def header_value(*, secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret=secret, timestamp=timestamp, body=body)}"


def verify(
    *,
    secret: str,
    header: str,
    body: bytes,
    now: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the header parses, its time is recent, and one of its ``v1``
    signatures matches (compared in constant time)."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance_seconds:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, given) for given in parts.get("v1", []))
