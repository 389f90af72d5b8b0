"""core.redis_cache: Django's Redis cache with its clients kept, against the real Redis."""

import threading
import uuid

import pytest
import redis

from supportal.core.redis_cache import RedisCache

URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def cache():
    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    backend = RedisCache(URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_reads_and_writes_like_djangos_cache(cache):
    assert cache.get("missing", "default") == "default"
    cache.set("session", {"user": 7, "seen": 1.5}, 30)
    assert cache.get("session") == {"user": 7, "seen": 1.5}
    assert cache.add("session", "other", 30) is False
    assert cache.get_many(["session", "missing"]) == {"session": {"user": 7, "seen": 1.5}}
    cache.delete("session")
    assert cache.get("session") is None
    assert cache.incr(cache.add("n", 1) and "n") == 2


def test_one_client_serves_every_call_and_thread(cache):
    cache.set("k", 1, 30)
    first = cache._cache.get_client("k")
    assert cache._cache.get_client("k", write=True) is first
    seen, errors = [], []

    def work():
        try:
            for i in range(50):
                cache.set(f"k{i}", i, 30)
                assert cache.get(f"k{i}") == i
            seen.append(cache._cache.get_client())
        except Exception as exc:  # reported below: a failed assert in a thread is lost
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(client is first for client in seen)
