"""KB search-as-you-type latency through HTTP, on SQLite (FTS5) and PostgreSQL.

Generates 20,000 published articles of realistic length from the four products'
vocabulary, starts the app's WSGI handler on a loopback port, and times 500 prefix
queries ("shipping meth", "edocbuilder fon") as the new-ticket form sends them:
``GET /kb/suggest/`` (the htmx fragment) and ``GET /api/v1/kb/search``. Prints median and
p95 per endpoint and database.

Each database runs in its own process on a throwaway database (a temp SQLite file; for
PostgreSQL ``test_<name>_kb`` beside KB_BENCH_POSTGRES_URL, else beside DATABASE_URL when
it is PostgreSQL), dropped after. PostgreSQL is measured only when one of them names it.

    python bench/kb_bench.py                 # both databases
    python bench/kb_bench.py --engine sqlite # one, as JSON (used by run())
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from smoke import size

ARTICLES = size(20_000, 300)
QUERIES = size(500, 30)
WARMUP = size(20, 3)
BATCH = 2_000
PROJECT = Path(__file__).resolve().parent.parent

VOCABULARY = {
    "pressero": (
        "storefront site buyer checkout cart shipping method carrier delivery payment gateway "
        "order confirmation email template product catalog pricing calculator spreadsheet "
        "skin theme css javascript html head approval plan user group coupon tax invoice "
        "inventory quantity discount report dashboard domain dns ssl certificate category "
        "banner homepage menu login registration password reset address book purchase "
        "requisition budget cost center punchout sso saml marketplace storefronts attribute"
    ),
    "edocbuilder": (
        "template document font asset image preview proof pdf bleed crop marks variable data "
        "field text box script layout page master barcode qr code color profile cmyk "
        "rgb resolution upload library version editor constraint rule approval spot "
        "pantone overprint transparency kerning leading paragraph style glyph hyphenation "
        "dropdown checkbox signature imposition spread preset thumbnail watermark"
    ),
    "pjm": (
        "job ticket estimate quote press schedule capacity due date customer production "
        "import export excel csv spreadsheet costing material paper stock finishing "
        "shipping invoice accounting workflow status operator shift machine bindery "
        "lamination cutting folding stitching warehouse purchase vendor outsourcing "
        "quickbooks sage labor overtime makeready spoilage waste reprint"
    ),
    "tflow": (
        "workflow hot folder automation preflight imposition proof approval rip printer "
        "queue file upload step rule trigger notification integration api webhook "
        "server storage archive color management output device fiery prinergy "
        "gang nesting sheet layout trim marks barcode slug line rotation scaling "
        "resolution flattening fonts embedding outline conversion"
    ),
}
# Everyday support prose, most common first (sampled with Zipf-like weights).
PROSE = (  # noqa: SIM905
    "the to and a you in is for of it your on this that with can be if we not when are "
    "from or as have will then there do need they our what which after before only also "
    "new set page open click select save change add remove use make see check go back list "
    "first next each other more some all any every way time one two again still now "
    "settings admin option button tab section screen window field value name number "
    "problem error issue message question answer help support example note steps "
    "update version release week day month account team company customer user people "
    "work working works shows show showing appears missing wrong correct right left top "
    "bottom enable disable enabled disabled allow allowed default custom manual automatic "
    "create created edit edited delete deleted find found search view display hidden "
    "visible available unavailable required optional below above following previous"
).split()
PROSE_WEIGHTS = [1 / (rank + 1) for rank in range(len(PROSE))]
TITLE_PATTERNS = [
    "How to {a} the {b}",
    "{A} {b} not working",
    "Setting up {a} for {b}",
    "{A}: why does the {b} show an error",
    "Change the {a} {b}",
    "Where is the {a} {b} setting",
    "Troubleshooting {a} and {b}",
]


def _sentence(rng: random.Random, topic: list[str], domain: list[str]) -> str:
    words = []
    for _ in range(rng.randint(8, 20)):
        roll = rng.random()
        if roll < 0.10:
            words.append(rng.choice(topic))
        elif roll < 0.16:
            words.append(rng.choice(domain))
        else:
            words.append(rng.choices(PROSE, PROSE_WEIGHTS)[0])
    return " ".join(words).capitalize() + "."


def _article_text(rng: random.Random, product: str) -> tuple[str, str, str]:
    domain = VOCABULARY[product].split()
    topic = rng.sample(domain, 3)
    title = rng.choice(TITLE_PATTERNS).format(
        a=topic[0], b=topic[1], A=topic[0].capitalize(), B=topic[1]
    )
    tags = ", ".join(topic)
    paragraphs = [
        " ".join(_sentence(rng, topic, domain) for _ in range(rng.randint(2, 6)))
        for _ in range(rng.randint(2, 5))
    ]
    return title, tags, "\n\n".join(paragraphs)


def _prefix_queries(rng: random.Random, count: int) -> list[tuple[str, str | None]]:
    """What customers type as a subject: topic words, the last one cut mid-word (from its
    third letter, as the 400 ms debounce fires when typing pauses)."""
    queries = []
    for _ in range(count):
        product = rng.choice(list(VOCABULARY))
        words = rng.sample(VOCABULARY[product].split(), rng.randint(1, 3))
        last = words[-1]
        words[-1] = last[: rng.randint(min(3, len(last)), len(last))]
        queries.append((" ".join(words), product if rng.random() < 0.5 else None))
    return queries


# --- One database, in this process ---------------------------------------------------------


def _setup_django(engine: str, data_dir: Path) -> str | None:
    os.environ["SUPPORTAL_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if engine == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
        template = os.environ.get("BENCH_SQLITE_TEMPLATE")
        if template:  # an empty migrated database made once by bench/run.py
            shutil.copyfile(template, data_dir / "bench.sqlite3")
    else:
        os.environ["DATABASE_URL"] = postgres_url()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "sqlite":
        if not os.environ.get("BENCH_SQLITE_TEMPLATE"):
            call_command("migrate", verbosity=0, interactive=False)
        return None
    real_name = connection.settings_dict["NAME"]
    # Not Django's default test_<name>: `make bench` holds that one open (bench/run.py's
    # core part) while this runs in a child process.
    connection.settings_dict["TEST"]["NAME"] = f"test_{real_name}_kb"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return real_name


def _load_articles(author: Any) -> None:
    from django.db import connection, transaction

    from supportal.accounts.models import Product
    from supportal.kb import search
    from supportal.kb.models import Article, SearchDocument

    rng = random.Random(20_000)
    products = {p.slug: p for p in Product.objects.filter(slug__in=list(VOCABULARY))}
    with transaction.atomic():
        for start in range(0, ARTICLES, BATCH):
            articles = []
            for n in range(start, min(start + BATCH, ARTICLES)):
                product = rng.choice(list(VOCABULARY))
                title, tags, body = _article_text(rng, product)
                articles.append(
                    Article(
                        title=title,
                        slug=f"bench-{n}",
                        product=products[product],
                        tags=tags,
                        body=body,
                        status=Article.Status.PUBLISHED,
                        author=author,
                    )
                )
            Article.objects.bulk_create(articles)
            saved = Article.objects.filter(slug__in=[a.slug for a in articles])
            SearchDocument.objects.bulk_create(
                SearchDocument(
                    kind=SearchDocument.Kind.ARTICLE,
                    object_id=a.pk,
                    product_id=a.product_id,
                    title=a.title,
                    tags=a.tags,
                    body=a.body,
                    url=a.get_absolute_url(),
                    published=True,
                )
                for a in saved
            )
        search.rebuild_index()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Server:
    """The app's WSGI handler on a loopback port, one request at a time (like one worker)."""

    def __init__(self) -> None:
        from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
        from django.core.wsgi import get_wsgi_application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = WSGIServer(("127.0.0.1", 0), Quiet, ipv6=False)
        self.httpd.set_app(get_wsgi_application())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _time(client: Any, path: str, params_list: list[dict[str, str]], **kw: Any) -> list[float]:
    for params in params_list[:WARMUP]:
        client.get(path, params=params, **kw).raise_for_status()
    samples = []
    for params in params_list:
        began = time.perf_counter()
        response = client.get(path, params=params, **kw)
        samples.append((time.perf_counter() - began) * 1000)
        response.raise_for_status()
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def run_engine(engine: str) -> dict[str, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="supportal-kb-bench-"))
    real_name = None
    try:
        real_name = _setup_django(engine, data_dir)
        import httpx
        from django.conf import settings
        from django.db import connection
        from login_session import session_key

        from supportal.accounts.services import issue_api_token
        from supportal.demo.loader import DEMO_PASSWORD, load_demo

        demo = load_demo(with_tickets=False)
        began = time.perf_counter()
        _load_articles(demo.agent)
        load_seconds = time.perf_counter() - began
        token = issue_api_token(email=demo.bob.email, password=DEMO_PASSWORD)
        session = session_key(demo.bob.email, DEMO_PASSWORD)
        connection.close()  # the server thread opens its own

        queries = _prefix_queries(random.Random(500), QUERIES)
        api_params = [{"q": q, **({"product": p} if p else {})} for q, p in queries]
        form_params = [{"subject": q, "description": "", "product": p or ""} for q, p in queries]
        results: dict[str, float] = {}
        with _Server() as server, httpx.Client(base_url=server.url, timeout=30) as client:
            headers = {"Authorization": f"Bearer {token}"}
            api = _time(client, "/api/v1/kb/search", api_params, headers=headers)
            client.cookies.set(settings.SESSION_COOKIE_NAME, session)
            form = _time(client, "/kb/suggest/", form_params, headers={"HX-Request": "true"})
            found = sum(
                1
                for params in api_params[:100]
                if client.get("/api/v1/kb/search", params=params, headers=headers).json()["items"]
            )
        for name, samples in (("suggest (htmx)", form), ("api search", api)):
            results[f"kb {name} median ms ({engine})"] = statistics.median(samples)
            results[f"kb {name} p95 ms ({engine})"] = _p95(samples)
        results[f"kb queries with results % ({engine})"] = float(found)
        results[f"kb load {ARTICLES} articles s ({engine})"] = load_seconds
        return results
    finally:
        if real_name is not None:
            from django.db import connection

            connection.creation.destroy_test_db(real_name, verbosity=0)
        shutil.rmtree(data_dir, ignore_errors=True)


# --- Both databases, each in a child process -------------------------------------------------


def postgres_url() -> str:
    """The PostgreSQL server to measure on ("" for none)."""
    current = os.environ.get("DATABASE_URL", "")
    return os.environ.get("KB_BENCH_POSTGRES_URL") or (
        current if current.startswith("postgres") else ""
    )


def run() -> dict[str, float]:
    results: dict[str, float] = {}
    failed = []
    engines = ["sqlite", "postgresql"] if postgres_url() else ["sqlite"]
    for engine in engines:
        done = subprocess.run(  # noqa: PLW1510 - the return code is checked below
            [sys.executable, str(Path(__file__).resolve()), "--engine", engine],
            capture_output=True,
            text=True,
            cwd=PROJECT,
        )
        if done.returncode != 0:
            print(f"kb bench on {engine} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            failed.append(engine)
            continue
        results.update(json.loads(done.stdout.strip().splitlines()[-1]))
    if failed:
        raise RuntimeError(f"kb bench failed on {', '.join(failed)} (measured: {results})")
    return results


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--engine":
        print(json.dumps(run_engine(sys.argv[2])))
    else:
        for label, value in run().items():
            print(f"{label:<48} {value:>10.2f}")
