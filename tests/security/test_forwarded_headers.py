"""``supportal serve`` believes X-Forwarded-For / X-Forwarded-Proto only from the proxies
named in ``SUPPORTAL_TRUSTED_PROXIES`` (none by default), over real HTTP on loopback.

The attacker is any client that reaches the server, loopback included (a local user, or
anything relayed through a local port): with the headers believed, it picks the address
each wrong password is counted under (so the per-address lockout never comes) and the
scheme Django thinks the request came over."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ..core.test_serve import Server, _migrated_dir, _serve

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc")

LIMIT = 3  # SUPPORTAL_LOGIN_FAILURE_LIMIT in these servers


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _migrated_dir(tmp_path_factory, "forwarded", demo=False)


def _started(data_dir: Path, tmp_path: Path, **env: str) -> Iterator[Server]:
    env = {"SUPPORTAL_LOGIN_FAILURE_LIMIT": str(LIMIT), "SECURE_HSTS_SECONDS": "60", **env}
    for server in _serve(data_dir, tmp_path, **env):
        server.wait_healthy()
        yield server


@pytest.fixture
def default_server(data_dir: Path, tmp_path: Path) -> Iterator[Server]:
    yield from _started(data_dir, tmp_path)


@pytest.fixture
def proxied_server(data_dir: Path, tmp_path: Path) -> Iterator[Server]:
    yield from _started(data_dir, tmp_path, SUPPORTAL_TRUSTED_PROXIES="127.0.0.1")


def _wrong_logins_from_forged_addresses(server: Server, first: int) -> list[int]:
    """LIMIT + 1 wrong passwords, each for another email and claiming another client."""
    statuses = []
    with httpx.Client(base_url=f"http://127.0.0.1:{server.port}", timeout=30) as client:
        for i in range(first, first + LIMIT + 1):
            response = client.post(
                "/api/v1/auth/token",
                json={"email": f"nobody{i}@example.com", "password": "not-it"},
                headers={"X-Forwarded-For": f"198.51.100.{i}", "X-Forwarded-Proto": "https"},
            )
            statuses.append(response.status_code)
    return statuses


def _forged_https(server: Server) -> httpx.Response:
    return httpx.get(
        f"http://127.0.0.1:{server.port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )


def test_forged_forwarded_addresses_do_not_escape_the_per_address_lockout(
    default_server: Server,
) -> None:
    """Every attempt is counted under the real peer (127.0.0.1): from the limit on, 429."""
    statuses = _wrong_logins_from_forged_addresses(default_server, first=1)
    assert statuses == [401] * (LIMIT - 1) + [429] * 2, statuses


def test_a_forged_forwarded_proto_does_not_make_a_plain_request_secure(
    default_server: Server,
) -> None:
    """Django sends HSTS (SECURE_HSTS_SECONDS) only on requests it believes came over
    HTTPS: a plain request claiming to be one gets none."""
    response = _forged_https(default_server)
    assert response.status_code == 200, response.text
    assert "strict-transport-security" not in response.headers


def test_a_named_proxy_is_believed(proxied_server: Server) -> None:
    """The positive control: from a trusted proxy, each forwarded client is its own
    address (no per-address lockout across them) and X-Forwarded-Proto sets the scheme."""
    statuses = _wrong_logins_from_forged_addresses(proxied_server, first=101)
    assert statuses == [401] * (LIMIT + 1), statuses
    assert "strict-transport-security" in _forged_https(proxied_server).headers


def test_serve_passes_the_trusted_proxies_to_uvicorn() -> None:
    from supportal.demo.management.commands.serve import proxy_arguments

    assert proxy_arguments([]) == ["--no-proxy-headers"]
    assert proxy_arguments(["10.0.0.10", "10.0.1.0/24"]) == [
        "--proxy-headers",
        "--forwarded-allow-ips",
        "10.0.0.10,10.0.1.0/24",
    ]
