"""Realistic, deterministic bench data: N tickets with everything around them, loaded fast.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/supportal_bench \\
        .venv/bin/python bench/generate.py --n 1000000 [--seed 42] [--force]

On top of the demo (reference data, the demo logins, KB demo content) it writes
organizations (one per 200 tickets) with a customer admin and three customers each,
support staff, and N tickets spread over three years in every status (the newest ones
still open, older ones resolved or closed), each with its replies and internal notes,
audit events, a first-response SLA clock, attachment metadata for some, and — when those
apps are installed — a billing row and time entries (supportal.billing) and KB articles
(supportal.kb). Some of Bob's (bob@acmeprint.test) tickets carry exactly 50 replies: the
"ticket page with 50 replies" of the bench.

PostgreSQL is loaded with COPY (psycopg 3) with foreign-key triggers off for the session,
SQLite with executemany in big transactions. A database already holding the same data set
(same N, seed, generator version and migrations) is left as it is unless ``--force``.
Ticket numbers follow ``tickets.services._next_number``: prefix + (start + pk).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

GENERATOR_VERSION = 3
TICKETS_PER_ORG = 200
CUSTOMERS_PER_ORG = 3
STAFF = 30
SPAN_DAYS = 3 * 365
FIFTY_REPLY_TICKETS = 20
CHUNK_TICKETS = 20_000
META_TABLE = "bench_dataset"

WORDS = (  # noqa: SIM905 - a sentence is easier to read than 67 quoted words
    "order checkout shipping storefront template preview font invoice payment gateway "
    "job production queue printer proof approval calculator price quantity discount "
    "coupon buyer catalog product variant upload artwork pdf bleed margin imposition "
    "press workflow ticket email notification login password site domain certificate "
    "report export csv customer address tax rate freight carrier label barcode inventory "
    "stock warehouse batch schedule deadline invoice estimate quote approval rejection "
    "error timeout slow page"
).split()
SUBJECT_STARTS = [
    "Cannot",
    "How do I",
    "Error when I",
    "Question about",
    "Unable to",
    "Problem with",
    "Need help to",
    "Wrong result after I",
]


def _sentence(rng: random.Random, low: int = 6, high: int = 16) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, count: int) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(2, 6))) for _ in range(count)]


@dataclass
class Dataset:
    """What the harness needs to know about a generated data set."""

    n: int
    seed: int
    tickets: int = 0
    replies: int = 0
    organizations: int = 0
    users: int = 0
    open_tickets: int = 0
    fifty_reply_ticket_ids: list[int] = field(default_factory=list)
    load_seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


# --- Writing rows ------------------------------------------------------------------------


class Writer:
    """Bulk inserts through COPY (PostgreSQL) or executemany (SQLite), one model at a time.

    Columns not given get the model field's default, so a field added later by another
    app does not break the generator (a new NOT NULL field without a default does, loudly).
    """

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def ts(self, moment: datetime | None) -> Any:
        if moment is None:
            return None
        if self.postgres:
            return moment
        return str(moment.astimezone(UTC).replace(tzinfo=None))

    def _columns(self, model: type, given: Sequence[str]) -> tuple[list[str], list[Any]]:
        fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        by_column = {f.column: f for f in fields}
        unknown = set(given) - set(by_column)
        if unknown:
            raise RuntimeError(f"{model.__name__} has no columns {sorted(unknown)}")
        extra_columns, extra_values = [], []
        for f in fields:
            if f.column in given or (f.primary_key and f.get_internal_type().endswith("AutoField")):
                continue
            blank_text = f.empty_strings_allowed and f.blank
            if not f.has_default() and not f.null and not blank_text:
                raise RuntimeError(f"{model.__name__}.{f.name} needs a value from the generator")
            value = f.get_default()  # "" for blank text fields, None for nullable ones
            extra_columns.append(f.column)
            extra_values.append(f.get_db_prep_save(value, self.connection))
        return [*given, *extra_columns], extra_values

    def insert(self, model: type, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
        all_columns, extra = self._columns(model, columns)
        table = model._meta.db_table
        qn = self.connection.ops.quote_name
        column_sql = ", ".join(qn(c) for c in all_columns)
        count = 0
        with self.connection.cursor() as cursor:
            if self.postgres:
                sql = f"COPY {qn(table)} ({column_sql}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row((*row, *extra) if extra else row)
                        count += 1
            else:
                marks = ", ".join("?" * len(all_columns))
                sql = f"INSERT INTO {qn(table)} ({column_sql}) VALUES ({marks})"
                batch = [(*row, *extra) for row in rows]
                cursor.executemany(sql, batch)
                count = len(batch)
        self.counts[table] = self.counts.get(table, 0) + count
        return count

    def next_id(self, model: type) -> int:
        with self.connection.cursor() as cursor:
            table = self.connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608
            return int(cursor.fetchone()[0])


# --- The data set ---------------------------------------------------------------------------


def _fingerprint(n: int, seed: int) -> str:
    # Schema changes are not part of it: the data set is migrated like real data would be.
    return json.dumps({"v": GENERATOR_VERSION, "n": n, "seed": seed})


def read_dataset() -> tuple[str, Dataset] | None:
    """The data set recorded in this database, with its fingerprint, if any."""
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT fingerprint, meta FROM {META_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        return None
    return row[0], Dataset(**json.loads(row[1]))


def _record_dataset(dataset: Dataset) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
        cursor.execute(f"CREATE TABLE {META_TABLE} (fingerprint TEXT, meta TEXT)")
        cursor.execute(
            f"INSERT INTO {META_TABLE} VALUES (%s, %s)",  # noqa: S608
            [_fingerprint(dataset.n, dataset.seed), json.dumps(dataset.__dict__)],
        )


def ensure_dataset(n: int, seed: int = 42, *, force: bool = False, log=print) -> Dataset:
    """Migrate, then generate the data set unless this database already holds it."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    found = read_dataset()
    if found and not force and found[0] == _fingerprint(n, seed):
        log(f"bench data: reusing {found[1].tickets:,} tickets already loaded")
        return found[1]
    from supportal.tickets.models import Ticket

    if found or Ticket.objects.exists():
        log("bench data: emptying the database first")
        call_command("flush", verbosity=0, interactive=False)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {META_TABLE}")
    dataset = generate(n, seed, log=log)
    _record_dataset(dataset)
    return dataset


def generate(n: int, seed: int = 42, *, log=print) -> Dataset:
    """Write the data set into an empty, migrated database. Returns what was written."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from supportal.accounts.models import Organization, Plan, Product, SupportRegion, User
    from supportal.demo.loader import load_demo
    from supportal.sla.models import SlaClock
    from supportal.sla.services import policy_for
    from supportal.tickets.models import Attachment, AuditEvent, Reply, Ticket

    started = time.perf_counter()
    rng = random.Random(seed)
    writer = Writer(connection)
    dataset = Dataset(n=n, seed=seed)
    now = datetime.now(UTC).replace(microsecond=0)
    ts = writer.ts

    demo = load_demo(with_tickets=False)
    plans = list(Plan.objects.order_by("rank"))
    products = list(Product.objects.filter(active=True).order_by("slug"))
    regions = {r.code: r for r in SupportRegion.objects.all()}
    region_ids = [regions[c].pk for c in ("usa", "spain") if c in regions] or [None]

    postgres = writer.postgres
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                # Skip the foreign-key triggers for the bulk load: the generator writes
                # only ids it has just written (or the demo's), so they cannot dangle.
                cursor.execute("SET LOCAL session_replication_role = replica")

        # Organizations, their products and people.
        org_count = max(10, n // TICKETS_PER_ORG)
        org_id0 = writer.next_id(Organization)
        org_products: dict[int, list[int]] = {}
        org_rows, m2m_rows = [], []
        for i in range(org_count):
            oid = org_id0 + i
            plan = rng.choices(plans, weights=range(len(plans), 0, -1))[0] if plans else None
            chosen = rng.sample(products, k=rng.choice([1, 2, 2, 3]))
            org_products[oid] = [p.pk for p in chosen]
            created = now - timedelta(days=SPAN_DAYS + rng.randint(0, 400))
            org_rows.append(
                (
                    oid,
                    f"Bench Org {i:06d}",
                    f"bench-org-{i:06d}",
                    plan.pk,
                    rng.choice(region_ids),
                    ts(created),
                )
            )
            m2m_rows.extend((oid, p.pk) for p in chosen)
        writer.insert(
            Organization,
            ["id", "name", "slug", "plan_id", "support_region_id", "created_at"],
            org_rows,
        )
        through = Organization.products.through
        writer.insert(through, ["organization_id", "product_id"], m2m_rows)

        unusable = make_password(None)
        user_id0 = writer.next_id(User)
        user_rows = []
        org_people: dict[int, list[int]] = {}
        uid = user_id0
        for i in range(org_count):
            oid = org_id0 + i
            people = []
            for j in range(1 + CUSTOMERS_PER_ORG):
                role = User.Role.CUSTOMER_ADMIN if j == 0 else User.Role.CUSTOMER
                user_rows.append(
                    (
                        uid,
                        unusable,
                        f"user{j}@org{i:06d}.bench.test",
                        f"Customer {i}-{j}",
                        role,
                        oid,
                        None,
                        True,
                        False,
                        ts(now - timedelta(days=SPAN_DAYS)),
                    )
                )
                people.append(uid)
                uid += 1
            org_people[oid] = people
        staff_ids = [demo.agent.pk, demo.agent_es.pk, demo.ps.pk, demo.manager.pk]
        for i in range(STAFF):
            user_rows.append(
                (
                    uid,
                    unusable,
                    f"agent{i:03d}@vendor.bench.test",
                    f"Agent {i}",
                    User.Role.AGENT,
                    None,
                    rng.choice(region_ids),
                    True,
                    False,
                    ts(now - timedelta(days=SPAN_DAYS)),
                )
            )
            staff_ids.append(uid)
            uid += 1
        writer.insert(
            User,
            [
                "id",
                "password",
                "email",
                "name",
                "role",
                "organization_id",
                "support_region_id",
                "is_active",
                "is_staff",
                "date_joined",
            ],
            user_rows,
        )

        # The demo organizations get a fixed share, so Bob and Alice see a list that grows
        # with N like a real big customer's (1% of all tickets for Acme, 40% of those Bob's).
        bright_people = [demo.carol.pk]
        org_products[demo.acme.pk] = list(demo.acme.products.values_list("pk", flat=True))
        org_products[demo.bright.pk] = list(demo.bright.products.values_list("pk", flat=True))
        org_ids = list(org_people)

        prefix = settings.SUPPORTAL_TICKET_PREFIX
        start = settings.SUPPORTAL_TICKET_NUMBER_START
        ticket_id = writer.next_id(Ticket)
        reply_id = writer.next_id(Reply)
        paragraphs = _paragraphs(rng, 400)
        subjects = [
            f"{rng.choice(SUBJECT_STARTS)} {' '.join(rng.choices(WORDS, k=rng.randint(2, 5)))}"
            for _ in range(2000)
        ]
        kinds = [k for k in Ticket.Kind.values]
        kind_weights = [60 if k == "question" else 25 if k == "bug" else 3 for k in kinds]
        channels = Ticket.Channel.values
        channel_weights = [70 if c == "portal" else 10 if c == "email" else 5 for c in channels]
        fifty = set()
        # Bob's fifty-reply tickets: spread through the newest tenth, still open.
        for k in range(FIFTY_REPLY_TICKETS):
            fifty.add(n - 1 - (k * max(1, n // 10)) // FIFTY_REPLY_TICKETS)

        billing_models = _billing_models()
        ticket_cols = [
            "id",
            "number",
            "organization_id",
            "requester_id",
            "product_id",
            "kind",
            "subject",
            "description",
            "site_name",
            "site_url",
            "admin_username",
            "admin_password",
            "site_user_username",
            "site_user_password",
            "has_credentials",
            "steps",
            "urgent",
            "urgent_reason",
            "urgent_impact",
            "status",
            "channel",
            "assignee_id",
            "requester_untrained",
            "received_at",
            "first_response_due",
            "first_responded_at",
            "sla_breached",
            "resolved_at",
            "closed_at",
            "updated_at",
        ]
        reply_cols = ["id", "ticket_id", "author_id", "body", "internal", "created_at"]
        audit_cols = ["ticket_id", "actor_id", "action", "data", "created_at"]
        clock_cols = [
            "ticket_id",
            "metric",
            "target_minutes",
            "started_at",
            "due_at",
            "paused_at",
            "remaining_seconds",
            "stopped_at",
            "breached_at",
        ]
        attach_cols = [
            "ticket_id",
            "reply_id",
            "uploaded_by_id",
            "file",
            "original_name",
            "content_type",
            "size",
            "created_at",
        ]
        span = timedelta(days=SPAN_DAYS).total_seconds()
        step = span / n
        first_due = timedelta(minutes=policy_for(plan=None).first_response_minutes)
        open_statuses = ("new", "open", "pending_customer")

        done = 0
        while done < n:
            chunk = range(done, min(n, done + CHUNK_TICKETS))
            tickets, replies, audits, clocks, attachments, bills, times = [], [], [], [], [], [], []
            for i in chunk:
                tid = ticket_id + i
                received = now - timedelta(seconds=span - i * step - rng.random() * step * 0.9)
                age = (now - received).total_seconds()
                roll = rng.random()
                if i in fifty or roll < 0.006:
                    oid, requester = demo.acme.pk, demo.bob.pk
                elif roll < 0.01:
                    oid, requester = demo.acme.pk, demo.alice.pk
                elif roll < 0.015:
                    oid, requester = demo.bright.pk, bright_people[0]
                else:
                    oid = rng.choice(org_ids)
                    requester = rng.choice(org_people[oid])
                product = rng.choice(org_products[oid])
                # The newest tickets are still being worked; a few old ones linger.
                newest = i >= n * 0.95
                if i in fifty:
                    status = "open"
                elif newest:
                    status = rng.choices(
                        ["new", "open", "pending_customer", "resolved", "closed"],
                        [25, 30, 20, 15, 10],
                    )[0]
                elif age < 14 * 86400:
                    status = rng.choice(["resolved", "closed", "closed"])
                else:
                    status = "closed" if rng.random() > 0.004 else "pending_customer"
                urgent = rng.random() < 0.02
                with_credentials = rng.random() < 0.1 and status != "closed"
                assignee = None if status == "new" else rng.choice(staff_ids)
                # Replies: alternate staff answers and customer follow-ups.
                if i in fifty:
                    reply_count = 50
                elif status == "new":
                    reply_count = 0
                else:
                    reply_count = min(12, int(rng.expovariate(1 / 3.5)) + 1)
                moment = received
                first_response = None
                for r in range(reply_count):
                    moment = min(now, moment + timedelta(minutes=rng.randint(5, 60 * 30)))
                    staff_turn = r % 2 == 0
                    internal = staff_turn and rng.random() < 0.2
                    author = (assignee or rng.choice(staff_ids)) if staff_turn else requester
                    if staff_turn and not internal and first_response is None:
                        first_response = moment
                    replies.append(
                        (
                            reply_id,
                            tid,
                            author,
                            paragraphs[rng.randrange(400)],
                            internal,
                            ts(moment),
                        )
                    )
                    audits.append(
                        (tid, author, "note_added" if internal else "replied", "{}", ts(moment))
                    )
                    reply_id += 1
                last = moment
                resolved_at = closed_at = None
                if status in ("resolved", "closed"):
                    resolved_at = min(now, last + timedelta(hours=rng.randint(1, 48)))
                    last = resolved_at
                if status == "closed":
                    closed_at = min(now, resolved_at + timedelta(days=7))
                    last = closed_at
                due = received + first_due
                breached = first_response is not None and first_response > due
                if first_response is None and status in open_statuses and due < now:
                    breached = rng.random() < 0.5
                tickets.append(
                    (
                        tid,
                        f"{prefix}-{start + tid}",
                        oid,
                        requester,
                        product,
                        rng.choices(kinds, kind_weights)[0],
                        subjects[rng.randrange(2000)],
                        paragraphs[rng.randrange(400)] + "\n\n" + paragraphs[rng.randrange(400)],
                        "Storefront" if with_credentials else "",
                        f"https://store{oid}.example.test" if with_credentials else "",
                        "",
                        "",
                        "",
                        "",
                        False,
                        "1. Log in\n2. Open the order\n3. See the error"
                        if rng.random() < 0.3
                        else "",
                        urgent,
                        "cannot_order" if urgent else "",
                        "No orders since this morning." if urgent else "",
                        status,
                        rng.choices(channels, channel_weights)[0],
                        assignee,
                        False,
                        ts(received),
                        ts(due),
                        ts(first_response),
                        breached,
                        ts(resolved_at),
                        ts(closed_at),
                        ts(last),
                    )
                )
                audits.append((tid, requester, "created", '{"channel": "portal"}', ts(received)))
                if status in ("resolved", "closed"):
                    audits.append(
                        (
                            tid,
                            assignee,
                            "status_changed",
                            '{"from": "open", "to": "resolved"}',
                            ts(resolved_at),
                        )
                    )
                running = first_response is None and status in ("new", "open")
                paused = first_response is None and status == "pending_customer"
                clocks.append(
                    (
                        tid,
                        "first_response",
                        first_due.seconds // 60 or 240,
                        ts(received),
                        ts(due) if running else None,
                        ts(last) if paused else None,
                        3600 if paused else None,
                        ts(first_response or last) if not (running or paused) else None,
                        ts(due) if breached else None,
                    )
                )
                if rng.random() < 0.08 or i in fifty:
                    attachments.append(
                        (
                            tid,
                            None,
                            requester,
                            f"attachments/{received:%Y/%m}/bench{tid:09d}.png",
                            "screenshot.png",
                            "image/png",
                            rng.randint(20_000, 2_000_000),
                            ts(received),
                        )
                    )
                if billing_models:
                    bills.append((tid, rng.random() < 0.03, "", ts(received)))
                    if reply_count and rng.random() < 0.3:
                        times.append(
                            (
                                tid,
                                assignee or staff_ids[0],
                                received.date(),
                                rng.choice([5, 10, 15]),
                                "",
                                ts(received),
                            )
                        )
                if status in open_statuses:
                    dataset.open_tickets += 1
                if i in fifty:
                    dataset.fifty_reply_ticket_ids.append(tid)
            writer.insert(Ticket, ticket_cols, tickets)
            writer.insert(Reply, reply_cols, replies)
            writer.insert(AuditEvent, audit_cols, audits)
            writer.insert(SlaClock, clock_cols, clocks)
            writer.insert(Attachment, attach_cols, attachments)
            if billing_models:
                _insert_billing(writer, billing_models, bills, times)
            done = chunk.stop
            log(f"  {done:>9,} tickets  ({time.perf_counter() - started:6.1f} s)")

        _insert_kb(writer, rng, n, demo, paragraphs, now, log)
        if postgres:
            models = [Organization, User, Ticket, Reply, AuditEvent, SlaClock, Attachment]
            statements = connection.ops.sequence_reset_sql(no_style(), models)
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    dataset.tickets = n
    dataset.organizations = org_count
    dataset.users = len(user_rows)
    dataset.replies = writer.counts.get(Reply._meta.db_table, 0)
    dataset.rows = dict(writer.counts)
    dataset.load_seconds = round(time.perf_counter() - started, 1)
    return dataset


def _billing_models() -> dict[str, Any] | None:
    from django.apps import apps

    if not apps.is_installed("supportal.billing"):
        return None
    from supportal.billing.models import TicketBilling, TimeEntry, WorkCategory

    support = WorkCategory.objects.filter(code="support").first()
    if support is None:
        return None
    return {"billing": TicketBilling, "time": TimeEntry, "support": support.pk}


def _insert_billing(writer: Writer, models: dict[str, Any], bills: list, times: list) -> None:
    writer.insert(
        models["billing"], ["ticket_id", "professional_services", "ps_reason", "created_at"], bills
    )
    support = models["support"]
    writer.insert(
        models["time"],
        ["ticket_id", "author_id", "work_date", "minutes", "note", "created_at", "category_id"],
        [(*row, support) for row in times],
    )


def _insert_kb(writer, rng, n, demo, paragraphs, now, log) -> None:
    """KB articles (one per 200 tickets, 50 to 5,000), then the search index rebuilt."""
    from django.apps import apps

    if not apps.is_installed("supportal.kb"):
        return
    from django.core.management import call_command

    from supportal.accounts.models import Product
    from supportal.kb.models import Article

    count = min(5000, max(50, n // 200))
    product_ids = list(Product.objects.values_list("pk", flat=True))
    rows = []
    for i in range(count):
        title = f"{rng.choice(SUBJECT_STARTS)} {' '.join(rng.choices(WORDS, k=4))}"
        body = "\n\n".join(paragraphs[rng.randrange(400)] for _ in range(4))
        moment = writer.ts(now - timedelta(days=rng.randint(1, SPAN_DAYS)))
        rows.append(
            (
                title[:200],
                f"bench-article-{i:05d}",
                rng.choice(product_ids),
                ", ".join(rng.sample(WORDS, 3)),
                body,
                "published",
                demo.manager.pk,
                moment,
                moment,
                moment,
            )
        )
    writer.insert(
        Article,
        [
            "title",
            "slug",
            "product_id",
            "tags",
            "body",
            "status",
            "author_id",
            "created_at",
            "updated_at",
            "published_at",
        ],
        rows,
    )
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("rebuild_kb_index", stdout=quiet)
    log(f"  {count:,} KB articles indexed ({time.perf_counter() - started:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=int(os.environ.get("BENCH_N", "10000")))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("BENCH_SEED", "42")))
    parser.add_argument("--force", action="store_true", help="regenerate even if present")
    parser.add_argument("--json", type=Path, help="write what was generated here (JSON)")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supportal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.db import connection

    print(f"bench data: N={args.n:,} seed={args.seed} on {connection.vendor}", flush=True)
    dataset = ensure_dataset(args.n, args.seed, force=args.force)
    print(json.dumps({k: v for k, v in dataset.__dict__.items() if k != "rows"}))
    print(json.dumps(dataset.rows))
    if args.json:
        args.json.write_text(json.dumps(dataset.__dict__))
    return 0


if __name__ == "__main__":
    sys.exit(main())
