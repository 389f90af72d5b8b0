"""Links in mail point at the portal: its public URL, else the port this machine serves on."""

import os
import subprocess
import sys

from supportal.core.links import absolute_url

SHOW_LINK = (
    "import django; django.setup(); "
    "from supportal.core.links import absolute_url; print(absolute_url('/tickets/1/'))"
)


def link_with(env: dict[str, str]) -> str:
    """The link a fresh process builds, configured by environment only (as `make run`)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SUPPORTAL_PUBLIC_URL"}}
    clean["DJANGO_SETTINGS_MODULE"] = "supportal.settings"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW_LINK],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip().splitlines()[-1]


def test_without_a_public_url_links_follow_the_port_the_portal_serves_on():
    assert link_with({"PORT": "8811"}) == "http://127.0.0.1:8811/tickets/1/"
    assert link_with({}) == "http://127.0.0.1:8000/tickets/1/"


def test_the_public_url_wins_and_its_trailing_slash_is_not_doubled(settings):
    settings.SUPPORTAL_PUBLIC_URL = "https://support.example.com/"
    assert absolute_url("/kb/") == "https://support.example.com/kb/"
