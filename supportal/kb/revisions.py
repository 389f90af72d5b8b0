"""The difference between two revisions of an article, line by line: a pure rule."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Op = Literal["same", "added", "removed", "skip"]


@dataclass(frozen=True)
class DiffLine:
    op: Op
    text: str
    old_number: int | None = None
    new_number: int | None = None


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


def diff_lines(old: str, new: str, *, context: int = 3) -> list[DiffLine]:
    """Changed lines with ``context`` unchanged lines around them; "skip" marks a gap."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines: list[DiffLine] = []
    for group_index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if group_index:
            lines.append(DiffLine("skip", "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(
                    DiffLine("same", a[i], i + 1, j + 1)
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            lines.extend(DiffLine("removed", a[i], old_number=i + 1) for i in range(i1, i2))
            lines.extend(DiffLine("added", b[j], new_number=j + 1) for j in range(j1, j2))
    return lines


def field_changes(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    """Short fields (title, tags, product, status…) that differ, in ``new``'s order."""
    return [
        FieldChange(name, old.get(name, ""), value)
        for name, value in new.items()
        if old.get(name, "") != value
    ]
