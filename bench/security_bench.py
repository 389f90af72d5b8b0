"""Costs the security layer adds: the per-email login lock, the outbound address check and
the enrolment QR code. No database queries (the SQLite lock is a file lock under a temp
DATA_DIR). Prints medians and p95 in microseconds.

    python bench/security_bench.py
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time

REPEATS = 2_000


def _setup() -> None:
    os.environ.setdefault("SUPPORTAL_DATA_DIR", tempfile.mkdtemp(prefix="supportal-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _timed(fn, repeats: int = REPEATS) -> tuple[float, float]:
    samples = []
    for i in range(repeats):
        began = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - began) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def run() -> dict[str, float]:
    _setup()
    import qrcode
    import qrcode.image.svg
    from django.conf import settings

    from supportal.core.locks import named_lock
    from supportal.core.net import BlockedAddress, check_public_address

    def lock(i: int) -> None:
        with named_lock(f"login:user{i}@example.test"):
            pass

    def blocked(i: int) -> None:
        with contextlib.suppress(BlockedAddress):
            check_public_address("127.0.0.1", 80)

    def qr(i: int) -> None:
        uri = f"otpauth://totp/Supportal:agent{i}%40vendor.test?secret=JBSWY3DPEHPK3PXP"
        qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage).to_string()

    settings.SUPPORTAL_OUTBOUND_ALLOWED_HOSTS = []
    figures: dict[str, float] = {}
    for name, fn, repeats in (
        ("login lock (SQLite flock) acquire+release", lock, REPEATS),
        ("outbound check, refused loopback", blocked, REPEATS),
        ("TOTP enrolment QR code (SVG)", qr, 200),
    ):
        median, p95 = _timed(fn, repeats)
        figures[f"{name} median µs"] = round(median, 1)
        figures[f"{name} p95 µs"] = round(p95, 1)
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:55} {value:>10}")
