"""Every message a person can read has its Spanish translation, and the catalogs hold every
marked string of the code as it is now (a string marked and never extracted would show in
English to a Spanish reader)."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from supportal.core import catalogs, messages


def untranslated(po_path: Path, root: Path = catalogs.PACKAGE) -> list[str]:
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    missing = []
    for message in catalog:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            label = message.id if isinstance(message.id, str) else message.id[0]
            missing.append(f"{po_path.relative_to(root.parent)}: {label!r}")
    return missing


def test_every_catalog_is_translated_in_full():
    """No empty and no fuzzy (guessed) translation in any catalog."""
    po_paths = catalogs.catalogs()
    assert po_paths, "no translation catalog found"
    missing = [line for path in po_paths for line in untranslated(path)]
    assert missing == [], "untranslated:\n" + "\n".join(missing)


def test_the_spanish_catalogs_hold_every_marked_string(tmp_path):
    """Extracting the strings again from a copy of the code (every app given a catalog)
    adds nothing untranslated: `make messages` was run and its result translated."""
    if shutil.which("xgettext") is None:
        pytest.skip("needs GNU gettext's xgettext to extract messages")
    copy = tmp_path / "supportal"
    shutil.copytree(
        catalogs.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")
    )
    messages.extract(copy, every_app=True)
    po_paths = catalogs.catalogs(copy)
    missing = [line for path in po_paths for line in untranslated(path, copy)]
    assert missing == [], "marked but not in the catalogs, or not translated:\n" + "\n".join(
        missing
    )
