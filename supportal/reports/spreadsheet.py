"""Cells for CSV and XLSX exports. Pure: no ORM.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some,
a tab or carriage return) as a formula: a ticket subject like ``=HYPERLINK(...)`` would
run on the reader's machine. Every text cell is neutralised with a leading apostrophe."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Cell = str | int | float | Decimal | date | datetime | bool | None


def safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def safe_cell(value: Any) -> Cell:
    """Numbers, dates and booleans stay typed; everything else becomes neutralised text."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    return safe_text(str(value))


def csv_text(value: Cell) -> str:
    """How a cell is written into a CSV file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows``, one line at a time (for streaming)."""
    writer = csv.writer(_Line())
    yield writer.writerow([safe_text(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_text(safe_cell(value)) for value in row])
