"""News feeds, the status page and the ideas board: request latency through Django.

Builds 500 published posts, 6 components with 90 days of status changes (about 4 a day
each) and 2,000 ideas with votes, then times, with Django's test client:
the RSS feed (50 items), a conditional GET answered 304, the status summary JSON, the
public status page (6 × 90 daily bars), the ideas API board (popular and trend) and a vote.
Prints median and p95 in milliseconds.

    python bench/news_status_ideas_bench.py   # on a throwaway SQLite database
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from smoke import size

POSTS = size(500, 60)
IDEAS = size(2_000, 720)  # 600 voted on, then REPEATS + 1 votes from the 700th
REPEATS = size(40, 5)


def _timed(fn: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    fn()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _build():
    from django.db import transaction
    from django.utils import timezone

    from supportal.accounts.models import User
    from supportal.demo.loader import load_demo
    from supportal.ideas.models import Idea, Vote
    from supportal.news.models import Post
    from supportal.status import reference
    from supportal.status.models import Component, StatusChange

    demo = load_demo(with_tickets=False)
    reference.seed_current()
    now = timezone.now()
    with transaction.atomic():
        Post.objects.bulk_create(
            Post(
                title=f"Post {i}",
                slug=f"bench-post-{i}",
                body="Some **markdown** body.\n" * 20,
                publish_at=now - timedelta(hours=i),
                published_at=now - timedelta(hours=i),
                api_change=i % 7 == 0,
            )
            for i in range(POSTS)
        )
        Component.objects.update(created_at=now - timedelta(days=120))
        statuses = ["degraded_performance", "operational", "partial_outage", "operational"]
        StatusChange.objects.bulk_create(
            StatusChange(component=c, status=statuses[k % 4], at=now - timedelta(hours=6 * k))
            for c in Component.objects.all()
            for k in range(360, 0, -1)
        )
        ideas = Idea.objects.bulk_create(
            Idea(title=f"Idea {i}", org_count=i % 13, user_count=i % 29, trend_count=i % 7)
            for i in range(IDEAS)
        )
        voters = [demo.alice, demo.bob, demo.carol]
        Vote.objects.bulk_create(
            Vote(idea=idea, user=voters[i % 3], organization_id=voters[i % 3].organization_id)
            for i, idea in enumerate(ideas[:600])
        )
    return demo, ideas, User


def run() -> dict[str, float]:
    from django.test import Client

    from supportal.accounts.services import issue_api_token
    from supportal.demo.loader import DEMO_PASSWORD
    from supportal.ideas import services as idea_services

    demo, ideas, _ = _build()
    client = Client()
    token = issue_api_token(email=demo.carol.email, password=DEMO_PASSWORD)
    auth = {"Authorization": f"Bearer {token}"}
    etag = client.get("/news/feed.rss")["ETag"]
    figures: dict[str, float] = {}

    def record(label: str, fn: Callable[[], object]) -> None:
        median, p95 = _timed(fn)
        figures[f"{label} median ms"] = round(median, 2)
        figures[f"{label} p95 ms"] = round(p95, 2)

    record("news RSS (50 of 500)", lambda: client.get("/news/feed.rss"))
    record("news RSS 304", lambda: client.get("/news/feed.rss", headers={"If-None-Match": etag}))
    record("status summary.json", lambda: client.get("/status/api/v2/summary.json"))
    record("status page (90 days)", lambda: client.get("/status/"))
    record("ideas API popular", lambda: client.get("/api/v1/ideas", headers=auth))
    record("ideas API trend", lambda: client.get("/api/v1/ideas?sort=trend", headers=auth))
    counter = iter(range(10_000))
    record(
        "vote + recount",
        lambda: idea_services.vote(idea=ideas[700 + next(counter)], user=demo.carol),
    )
    return figures


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    data_dir = tempfile.mkdtemp(prefix="supportal-nsi-bench-")
    os.environ["SUPPORTAL_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ["SESSION_COOKIE_SECURE"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    for label, value in run().items():
        print(f"  {label:<36} {value:>9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
