"""Compile the translation catalogs: every ``supportal/<app>/locale/<lang>/LC_MESSAGES/*.po``
into the ``.mo`` beside it, when the ``.po`` is newer. ``make`` runs it before the app or the
tests start (``python -m supportal.core.catalogs``); the ``.mo`` files are build products and
not committed. Babel compiles, so GNU gettext is not needed to run Supportal (only to
extract messages: ``make messages``)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent


def catalogs(root: Path = PACKAGE) -> list[Path]:
    return sorted(root.glob("*/locale/*/LC_MESSAGES/*.po"))


def compile_catalog(po_path: Path) -> Path:
    mo_path = po_path.with_suffix(".mo")
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    return mo_path


def compile_stale(root: Path = PACKAGE) -> list[Path]:
    """Compile each catalog whose .mo is missing or older; the ones compiled."""
    done = []
    for po_path in catalogs(root):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            done.append(compile_catalog(po_path))
    return done


if __name__ == "__main__":
    compiled = compile_stale()
    if compiled:
        print(f"compiled {len(compiled)} translation catalog(s)", file=sys.stderr)
