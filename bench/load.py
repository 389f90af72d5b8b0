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

import httpx

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = httpx.Timeout(60.0)

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


class BenchError(RuntimeError):
    pass


@dataclass
class Result:
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    wall_seconds: float = 0.0
    stopped_early: bool = False

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
        }


def client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        timeout=TIMEOUT,
        follow_redirects=False,
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
    )


def csrf_from(html: str) -> str:
    found = CSRF_INPUT.search(html)
    if not found:
        raise BenchError("no CSRF token in the form")
    return found.group(1)


async def form_login(
    http: httpx.AsyncClient, path: str, fields: dict[str, str], expect_redirect: bool = True
) -> None:
    """Log in through the real login form: GET for the CSRF token, POST the credentials."""
    page = await http.get(path)
    page.raise_for_status()
    data = {"csrfmiddlewaretoken": csrf_from(page.text), **fields}
    done = await http.post(path, data=data, headers={"Referer": str(http.base_url) + path})
    if expect_redirect and done.status_code != 302:
        raise BenchError(f"login at {path} with {fields} answered {done.status_code}")


def check(response: httpx.Response, expected: tuple[int, ...]) -> None:
    if response.status_code not in expected:
        raise BenchError(
            f"{response.request.method} {response.request.url} answered "
            f"{response.status_code}: {response.text[:300]}"
        )


async def measure(
    name: str,
    clients: list[httpx.AsyncClient],
    request: Request,
    *,
    requests: int,
    warmup: int,
    expected: tuple[int, ...] = (200,),
    max_seconds: float | None = None,
) -> Result:
    """Send ``warmup`` then ``requests`` requests, ``len(clients)`` at a time; stop early
    once ``max_seconds`` have passed (a slow system is then measured on fewer requests)."""
    result = Result(name)
    if max_seconds is None:
        max_seconds = float(os.environ.get("BENCH_MAX_SECONDS", "180"))

    async def worker(http: httpx.AsyncClient) -> None:
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
    started = time.perf_counter()
    await asyncio.gather(*(worker(http) for http in clients))
    result.wall_seconds = time.perf_counter() - started
    return result
