"""Filing through the portal form, in process: what `bench/http_bench.py`'s filing request
does, on Django's WSGI handler (the test client, CSRF enforced), against the bench data.

    DATABASE_URL=… REDIS_URL=… python bench/filing_profile.py [--count N] [--warm W] [--sql]

Logs Bob in, fetches the form's CSRF token, files W tickets to warm up, then N counted.
Instructions per filing: run it under ``valgrind --tool=callgrind`` with ``--count N`` and
with ``--count 0``, and divide the difference by N (bench/RESULTS.md, "Filing"). ``--sql``
prints the statements of one counted filing instead. ``--profile`` prints cProfile's
cumulative times over the counted filings (what each step costs, relative to the others).
``--timed`` prints the median CPU milliseconds of one counted filing. ``--server`` files
through Django's WSGI handler as a web server calls it, instead of the test client's: the
request signals run, so each request takes its database connection from the pool and
gives it back, as under uvicorn.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")

PASSWORD = "supportal-demo"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--timed", action="store_true")
    parser.add_argument("--server", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from http_bench import filing_fields

    client = Client(enforce_csrf_checks=True)
    login = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    assert token, "no CSRF token on the login page"
    answer = client.post(
        "/accounts/login/",
        {"username": "bob@acmeprint.test", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
    )
    assert answer.status_code == 302, answer.status_code
    form = client.get("/tickets/new/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert form.status_code == 200 and token, form.status_code

    handler = WSGIHandler()
    factory = RequestFactory()
    factory.cookies = client.cookies  # the session and CSRF cookies of the login above

    def file(index: int) -> None:
        data = {"csrfmiddlewaretoken": token[1], **filing_fields(index)}
        if args.server:
            request = factory.post("/tickets/new/", data)
            statuses: list[str] = []
            answered = handler(request.environ, lambda status, headers: statuses.append(status))
            answered.close()  # what the server does once the answer is sent: request_finished
            assert statuses[0].startswith("302"), statuses
            return
        answer = client.post("/tickets/new/", data, HTTP_REFERER="http://testserver/tickets/new/")
        assert answer.status_code == 302, (answer.status_code, answer.content[:2000])
        client.cookies.pop("messages", None)

    for index in range(args.warm):
        file(index)
    if args.sql:
        with CaptureQueriesContext(connection) as queries:
            file(args.warm)
        for query in queries.captured_queries:
            print(query["time"], query["sql"][:200])
        print(f"{len(queries.captured_queries)} statements")
        return 0
    if args.profile:
        import cProfile
        import pstats
        import time

        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for index in range(args.count):
            file(args.warm + index)
        profile.disable()
        stats = pstats.Stats(profile).sort_stats(os.environ.get("PROFILE_SORT", "cumulative"))
        stats.print_stats(90)
        stats.print_callees("open_ticket|ticket_new")
        if os.environ.get("PROFILE_DUMP"):
            stats.dump_stats(os.environ["PROFILE_DUMP"])
        return 0
    if args.timed:
        import statistics
        import time

        costs = []
        for index in range(args.count):
            started = time.process_time()
            file(args.warm + index)
            costs.append((time.process_time() - started) * 1000)
        print(
            f"CPU ms per filing over {args.count}: median {statistics.median(costs):.2f},"
            f" mean {statistics.mean(costs):.2f}"
        )
        return 0
    for index in range(args.count):
        file(args.warm + index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
