from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .db_recovery import discard_dead_connections
from .models import StoredFile


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        discard_dead_connections()  # so the next request gets a live connection, if any
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


_migrated = False  # once every migration is applied it stays so for this process's code


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _redis_answers(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        return bool(client.ping())
    finally:
        client.close()


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """200 when this process can serve: the database answers and is migrated, and Redis
    (when REDIS_URL is set) answers; 503 naming what is not ready. For load balancers and
    orchestrators deciding whether to send traffic (``/healthz`` only says "alive")."""
    from django.conf import settings

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok" if _migrations_applied() else "migrations pending"
    except Exception:
        checks["database"] = "unreachable"
    if settings.REDIS_URL:
        try:
            checks["redis"] = "ok" if _redis_answers(settings.REDIS_URL) else "unreachable"
        except Exception:
            checks["redis"] = "unreachable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", **checks}, status=200 if ready else 503
    )


def file_download(stored: StoredFile) -> FileResponse:
    """A stored file, always as a download with its checked type: never rendered by the
    browser, never cached. 404 when its bytes are missing."""
    try:
        handle = stored.file.open("rb")
    except OSError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
