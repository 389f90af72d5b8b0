"""/readyz: ready when the database answers and is migrated, and Redis answers if used."""

import pytest


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_readyz_checks_redis_when_one_is_configured(client, settings):
    import redis

    try:
        redis.Redis(socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis at 127.0.0.1:6379 does not answer")
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


@pytest.mark.django_db
def test_readyz_is_not_ready_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "redis": "unreachable"}


@pytest.mark.django_db
def test_readyz_is_never_cached(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/readyz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
