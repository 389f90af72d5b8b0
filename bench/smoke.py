"""BENCH_SMOKE=1: every bench at a tiny size, so `make test` checks in seconds that each
step of `make bench` still runs (its figures mean nothing)."""

from __future__ import annotations

import os
from typing import TypeVar

SMOKE = os.environ.get("BENCH_SMOKE", "") in {"1", "true", "yes"}

T = TypeVar("T", int, float, str)


def size(full: T, smoke: T) -> T:
    """``full`` in a real run, ``smoke`` in a smoke run."""
    return smoke if SMOKE else full
