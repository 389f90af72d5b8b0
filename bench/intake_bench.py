"""Inbound email parsing speed: the pure parser and reply trimming, no database.

Every way in (webhook, IMAP, SMTP) spends its CPU here, so this bounds how many mails one
process can take per second. Uses the recorded mails of tests/intake/fixtures."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from smoke import size

from supportal.intake.email.parse import automated_reason, parse_email, trim_reply

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "intake" / "fixtures"
ROUNDS = size(200, 2)
REPEATS = size(5, 1)
OWN = frozenset({"support@supportal.localhost"})


def _mails() -> list[bytes]:
    return [path.read_bytes() for path in sorted(FIXTURES.glob("*.eml"))]


def _once(mails: list[bytes]) -> float:
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for raw in mails:
            parsed = parse_email(raw)
            automated_reason(parsed, own_addresses=OWN)
            trim_reply(parsed.text)
    return ROUNDS * len(mails) / (time.perf_counter() - start)


def run() -> dict[str, float]:
    mails = _mails()
    rates = sorted(_once(mails) for _ in range(REPEATS))
    big = mails[0] + b"\r\n" + b"A" * 1024 * 1024  # one 1 MiB message
    start = time.perf_counter()
    parse_email(big)
    return {
        "email_parse_per_second_median": statistics.median(rates),
        "email_parse_per_second_worst": rates[0],
        "email_parse_1mib_ms": (time.perf_counter() - start) * 1000,
    }


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name}: {value:,.1f}")
