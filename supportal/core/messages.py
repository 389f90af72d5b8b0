"""Extract the marked strings into each app's catalog (``make messages``): Django's
``makemessages`` run inside every app that has a ``locale/`` directory, so each app's
strings land in its own catalog; the JavaScript strings (domain djangojs) go to core's.
Needs GNU gettext's ``xgettext``. The catalog test runs it on a copy of the tree, with a
catalog made for every app, to find strings nobody translated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
LANGUAGES = ("es",)  # every language of settings.LANGUAGES but the source language
COMMON = ["--add-location=file", "--no-obsolete"]


def app_dirs(root: Path = PACKAGE) -> list[Path]:
    return sorted(path.parent for path in root.glob("*/apps.py"))


def _makemessages(app: Path, *args: str) -> None:
    # PYTHONSAFEPATH: the app's folder must not come first on the import path (accounts'
    # http.py would hide the standard library's http).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "supportal.settings", "PYTHONSAFEPATH": "1"}
    for language in LANGUAGES:
        subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
            [sys.executable, "-m", "django", "makemessages", "-l", language, *COMMON, *args],
            cwd=app,
            env=env,
            check=True,
            capture_output=True,
        )


def extract(root: Path = PACKAGE, *, every_app: bool = False) -> None:
    """Update the catalogs under ``root``; ``every_app`` gives each app a catalog first."""
    for app in app_dirs(root):
        if every_app:
            (app / "locale").mkdir(exist_ok=True)
        if (app / "locale").is_dir():
            _makemessages(app)
    _makemessages(root / "core", "-d", "djangojs", "--ignore=static/vendor/*")


if __name__ == "__main__":
    extract()
