"""Phone numbers in E.164 form (+13125550100). Pure: no ORM."""

from __future__ import annotations

import re

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def normalize_phone(value: str) -> str | None:
    """The E.164 form of a number typed with spaces, dots, dashes or brackets, or None.

    Numbers must carry their country code (+1 …, +34 …, 00 34 …): a bare local number
    cannot be matched to a caller reliably."""
    cleaned = re.sub(r"[\s.\-()/]", "", value or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    return cleaned if E164.match(cleaned) else None
