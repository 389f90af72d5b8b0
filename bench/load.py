"""A bounded load generator over real HTTP on loopback: a fixed number of requests at a
fixed concurrency, then it stops. Used for Supportal and for django-helpdesk alike.

Each operation runs warm-up requests first, then ``requests`` timed ones spread over
``concurrency`` logged-in clients. Latency is the client's wall time for one request
(connection kept alive, as a browser would); queries per request come from the
``X-Query-Count`` header the bench-only middleware adds on both servers."""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT_SECONDS = 60.0


class BenchError(RuntimeError):
    pass


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    wall_seconds: float = 0.0
    stopped_early: bool = False
    cpu_ms: dict[str, float] = field(default_factory=dict)  # per request, by process kind

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def queries_label(self) -> str:
        if not self.queries:
            return "?"
        low, high = min(self.queries), max(self.queries)
        return str(low) if low == high else f"{low}–{high}"

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": len(self.latencies_ms),
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "per_second": round(self.per_second, 1),
            "queries": self.queries_label,
            "queries_max": max(self.queries) if self.queries else None,
            "stopped_early": self.stopped_early,
            "cpu_ms_per_request": {k: round(v, 2) for k, v in self.cpu_ms.items()},
        }


@dataclass
class Response:
    method: str
    url: str
    status_code: int
    headers: dict[str, str]
    text: str


class Client:
    """One logged-in browser: one keep-alive connection, its own cookies, no redirects
    followed. aiohttp, not httpx: on these two shared cores the load generator's own CPU
    per request is taken from the servers it measures, and aiohttp spends less of it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=1),
                cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies from 127.0.0.1
                timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
            )
        return self._session

    async def _send(self, method: str, path: str, **kwargs: Any) -> Response:
        url = self.base_url + path
        async with self._http().request(method, url, allow_redirects=False, **kwargs) as answer:
            text = await answer.text(errors="replace")
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Response(method, url, answer.status, _Headers(headers), text)

    async def get(self, path: str, params: dict[str, str] | None = None) -> Response:
        return await self._send("GET", path, params=params)

    async def post(
        self,
        path: str,
        data: dict[str, str],
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """A form POST: urlencoded, or multipart/form-data when ``files`` are given (as a
        browser sends a form with a file input, an empty one included)."""
        body: Any = data
        if files:
            body = aiohttp.FormData()
            for name, value in data.items():
                body.add_field(name, value)
            for name, (filename, content, content_type) in files.items():
                body.add_field(name, content, filename=filename, content_type=content_type)
        return await self._send("POST", path, data=body, headers=headers)

    def forget_cookie(self, name: str) -> None:
        """Drop one cookie, as a page the browser was sent to would have consumed it."""
        if self._session is not None:
            self._session.cookie_jar.clear(lambda morsel: morsel.key == name)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class _Headers(dict):
    """Response headers, looked up case-insensitively."""

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


Request = Callable[[Client, int], Awaitable[Response]]


def client(base_url: str) -> Client:
    return Client(base_url)


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    if not found:
        raise BenchError("no CSRF token in the form")
    return found.group(1)


async def form_login(
    http: Client, path: str, fields: dict[str, str], expect_redirect: bool = True
) -> None:
    """Log in through the real login form: GET for the CSRF token, POST the credentials."""
    page = await http.get(path)
    check(page, (200,))
    data = {"csrfmiddlewaretoken": csrf_from(page.text), **fields}
    done = await http.post(path, data=data, headers={"Referer": http.base_url + path})
    if expect_redirect and done.status_code != 302:
        raise BenchError(f"login at {path} with {fields} answered {done.status_code}")


async def form_filing(
    clients: list[Client], path: str, fields: Callable[[int], dict[str, str]], file_field: str
) -> Request:
    """The POST of the form at ``path`` by each of ``clients``: multipart like a browser's
    (an empty file input is sent too), each client reusing the CSRF token of its first GET,
    as a browser tab that files repeatedly. The answer's redirect is not followed: the
    page it leads to would show and clear the "received" message, so the ``messages``
    cookie is dropped instead (kept, messages would pile up in the cookie and then in the
    session, saved on every later filing)."""
    tokens = {}
    for http in clients:
        form = await http.get(path)
        check(form, (200,))
        tokens[id(http)] = csrf_from(form.text)

    async def submit(http: Client, index: int) -> Response:
        answer = await http.post(
            path,
            data={"csrfmiddlewaretoken": tokens[id(http)], **fields(index)},
            files={file_field: ("", b"", "application/octet-stream")},
            headers={"Referer": http.base_url + path},
        )
        http.forget_cookie("messages")
        return answer

    return submit


def check(response: Response, expected: tuple[int, ...]) -> None:
    if response.status_code not in expected:
        raise BenchError(
            f"{response.method} {response.url} answered "
            f"{response.status_code}: {response.text[:300]}"
        )


async def measure(
    name: str,
    clients: list[Client],
    request: Request,
    *,
    requests: int,
    warmup: int,
    expected: tuple[int, ...] = (200,),
    max_seconds: float | None = None,
    cpu: Callable[[], dict[str, float]] | None = None,
) -> Result:
    """Send ``warmup`` then ``requests`` requests, ``len(clients)`` at a time; stop early
    once ``max_seconds`` have passed (a slow system is then measured on fewer requests).
    ``cpu`` (server.cpu_probe) gives CPU seconds used so far per kind of process: the
    result then says how many CPU milliseconds each request cost the web workers, the
    database and the load generator."""
    result = Result(name)
    if max_seconds is None:
        max_seconds = float(os.environ.get("BENCH_MAX_SECONDS", "180"))

    async def worker(http: Client) -> None:
        for index in counter:
            if time.perf_counter() - started > max_seconds:
                result.stopped_early = True
                return
            began = time.perf_counter()
            response = await request(http, index)
            elapsed = (time.perf_counter() - began) * 1000
            check(response, expected)
            if index >= warmup:
                result.latencies_ms.append(elapsed)
                if "X-Query-Count" in response.headers:
                    result.queries.append(int(response.headers["X-Query-Count"]))

    # Warm-up runs serially on one client, then the timed part at full concurrency.
    for index in range(warmup):
        check(await request(clients[0], index), expected)
    counter = iter(range(warmup, warmup + requests))
    before = cpu() if cpu else {}
    started = time.perf_counter()
    await asyncio.gather(*(worker(http) for http in clients))
    result.wall_seconds = time.perf_counter() - started
    if cpu and result.latencies_ms:
        after = cpu()
        count = len(result.latencies_ms)
        result.cpu_ms = {k: (after[k] - before[k]) * 1000 / count for k in before}
    return result
