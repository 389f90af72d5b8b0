"""pip-audit over the installed environment: no dependency with a known vulnerability.

It asks PyPI's vulnerability data over the network, so it runs only when
SUPPORTAL_PIP_AUDIT=1 (CI, or by hand)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("SUPPORTAL_PIP_AUDIT") != "1",
    reason="pip-audit needs the network: set SUPPORTAL_PIP_AUDIT=1 to run it",
)


def test_installed_dependencies_have_no_known_vulnerabilities():
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit)] if pip_audit.exists() else [shutil.which("pip-audit") or ""]
    if not command[0]:
        pytest.fail("pip-audit is not installed: pip install -e '.[dev]'")
    result = subprocess.run(
        [*command, "--progress-spinner", "off", "--skip-editable"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Where PyPI's JSON API is unreachable pip-audit skips every package and still says
    # "No known vulnerabilities found": that is no audit at all.
    output = result.stdout + result.stderr
    skipped = output.count("could not be audited")
    audited_lines = [line for line in output.splitlines() if "could not be audited" not in line]
    assert skipped < 10, (
        f"pip-audit could not audit {skipped} packages: vulnerability data is unreachable "
        "from here, so this run proves nothing\n" + "\n".join(audited_lines[:5])
    )
