"""Ticket search: one function, two engines (PostgreSQL full text over a GIN index, SQLite
FTS5), the query language of ``query_syntax`` and the permission filter built in.

What is searched: subject, description, every reply, requester and organization names;
internal notes only for staff (``access.can_see_internal_notes``). A customer searches the
tickets ``tickets_visible_to`` gives them (their own; a customer admin their
organization's). Results are newest first (``order:oldest``, ``order:queue`` for the
queue's order) and paged by keyset; counts stop at SUPPORTAL_TICKET_SEARCH_COUNT_CAP.

Typed text never reaches SQL as syntax: words are letters and digits only, joined by us
into a tsquery or an FTS5 expression that is passed as a bound parameter.

``field:name=value`` searches a custom field (``custom_fields.filter_by_field``); staff-only
fields only for staff.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, cast

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    DateTimeField,
    Field,
    Func,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from supportal.accounts.models import Organization, User
from supportal.core.pagination import Page, after_cursor, encode_cursor, keyset_page
from supportal.core.query_plans import planned_for_values

from . import custom_fields
from .access import (
    can_see_internal_notes,
    search_documents_visible_to,
    tickets_visible_to,
)
from .models import CustomField, Reply, Ticket, TicketSearchDocument
from .queries import LIST_ORDER, QUEUE_ORDER
from .query_syntax import ParsedQuery, parse_query
from .tags import normalize_tag

FTS_TABLE = "tickets_search_fts"
# The ticket's columns the PostgreSQL search table keeps a copy of (TicketSearchDocument).
COPIED_COLUMNS = (
    "received_at",
    "status",
    "in_queue",
    "urgent",
    "sla_breached",
    "engineering_escalated_at",
    "product_id",
    "organization_id",
    "requester_id",
    "assignee_id",
)
ORDERS = {
    "newest": LIST_ORDER,
    "oldest": ["received_at", "id"],
    "queue": QUEUE_ORDER,
}
# The same orders on the PostgreSQL search table (TicketSearchDocument), whose key is the
# ticket's id; the queue's order is served by the tickets' own index instead.
DOCUMENT_ORDERS = {
    tuple(LIST_ORDER): ["-received_at", "-ticket_id"],
    tuple(ORDERS["oldest"]): ["received_at", "ticket_id"],
}
# Filters on what the search table does not copy: applied to the tickets, then joined.
TICKET_ONLY_FILTERS = {"tag", "field"}
# Filters whose statements reach alike whatever their value (TicketSearch.reach_varies).
FIXED_REACH = {"is", "order"}
STATUS_WORDS = {"pending": Ticket.Status.PENDING_CUSTOMER}
YES = {"yes", "true", "1"}
NO = {"no", "false", "0"}


class SearchFilterError(ValueError):
    """A filter's value that cannot be used (``status:opne``); the message says why."""


# --- The extension point for custom fields ------------------------------------------------

# --- Searching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketSearch:
    text: str
    parsed: ParsedQuery
    tickets: QuerySet[Ticket]  # every match the user may see, unordered and unpaged
    order: list[str]
    problems: tuple[str, ...]  # filters that could not be used, words that were dropped
    # PostgreSQL, words in the query, newest or oldest first: the same matches as search
    # documents, which answer the page and the count from the search table alone; the
    # tickets the user may see under the filters (no words) then load the page's rows.
    documents: QuerySet[TicketSearchDocument] | None = None
    filtered: QuerySet[Ticket] | None = None
    # The first page of documents reads every match up to the count cap: the count it
    # found (``count_matches`` then needs no query of its own).
    counted: dict[str, int] = field(default_factory=dict)

    @property
    def reach_varies(self) -> bool:
        """Whether its statements take values whose reach varies by orders of magnitude
        (words; a product, a region, an organization, dates...), which PostgreSQL must
        plan for each time (core.query_plans). The ``is:`` and ``order:`` filters, the
        queue among them, read alike every time."""
        return self.parsed.has_text or any(k not in FIXED_REACH for k, _ in self.parsed.filters)


def search_tickets(user: User, text: str) -> TicketSearch:
    """The tickets ``user`` may see that match ``text`` (the query language). A filter that
    cannot be used matches nothing (it never widens a search) and is named in
    ``problems``."""
    text = (text or "")[: settings.SUPPORTAL_TICKET_SEARCH_QUERY_MAX_CHARS]
    parsed = parse_query(text)
    problems = list(parsed.notes)
    qs = tickets_visible_to(user)
    documents = search_documents_visible_to(user)
    joined = False  # a filter the search table cannot apply: the documents join the tickets
    order = LIST_ORDER
    for key, value in parsed.filters:
        if key == "order":
            if value.lower() in ORDERS:
                order = ORDERS[value.lower()]
            else:
                problems.append(f"order:{value} is not an order; use newest, oldest or queue.")
            continue
        try:
            qs = _apply_filter(qs, user, key, value)
        except SearchFilterError as exc:
            problems.append(str(exc))
            qs = qs.none()
            documents = documents.none()
            continue
        if key in TICKET_ONLY_FILTERS:
            joined = True
        else:
            # The search table's columns carry the ticket's names: the same lookups apply.
            documents = cast(
                "QuerySet[TicketSearchDocument]",
                _apply_filter(cast(Any, documents), user, key, value),
            )
    internal = can_see_internal_notes(user)
    if parsed.only_common_words:
        qs = qs.none()
    elif parsed.has_text and connection.vendor == "postgresql" and tuple(order) in DOCUMENT_ORDERS:
        if joined:
            documents = documents.filter(ticket_id__in=qs.values("pk"))
        documents = documents.filter(**_vector_matches(parsed, internal=internal))
        return TicketSearch(
            text=text,
            parsed=parsed,
            tickets=qs.filter(pk__in=documents.values("ticket_id")),
            order=order,
            problems=tuple(problems),
            documents=documents,
            filtered=qs,
        )
    elif parsed.has_text:
        qs = _match_text(qs, parsed, internal=internal)
    if order == QUEUE_ORDER:
        # The queue's region column and SLA clock read the organization's region.
        qs = qs.select_related("organization__support_region")
    return TicketSearch(text=text, parsed=parsed, tickets=qs, order=order, problems=tuple(problems))


def search_page(search: TicketSearch, cursor: str | None = None, limit: int | None = None) -> Page:
    """One page of the matches in the search's order; tags come in one more query. With
    search documents, the page's ids come from the search table and its tickets in one
    more query (by id; the cursor is the same: received_at and id)."""
    limit = limit or settings.SUPPORTAL_PAGE_SIZE
    with planned_for_values(needed=search.reach_varies):  # one ticket or a million
        if search.documents is None or search.filtered is None:
            qs = search.tickets.prefetch_related("tags")
            return keyset_page(qs, order=search.order, cursor=cursor, limit=limit)
        ids, next_cursor = _document_page(search, search.documents, cursor, limit)
        if not ids:
            return Page(items=[], next_cursor=next_cursor)
        # The ticket filters again, by id: the page shows only what the tickets allow.
        tickets = search.filtered.filter(pk__in=ids).prefetch_related("tags").in_bulk()
    return Page(items=[tickets[i] for i in ids if i in tickets], next_cursor=next_cursor)


def _document_page(
    search: TicketSearch,
    documents: QuerySet[TicketSearchDocument],
    cursor: str | None,
    limit: int,
) -> tuple[list[int], str | None]:
    """The ids of one page of matching documents, and the next cursor. Which plan is fast
    depends on how many documents match, which PostgreSQL's estimate for a word gets
    wrong by orders of magnitude (it walked a million rows for a rare word). So first
    every match up to the count cap, in no order (the GIN index), counted and sorted in
    the same statement, of which only the page comes back (fetched whole and sorted in
    Python, the 10,000 times of a 1 % word took longer to parse than the search). A word
    in fewer tickets than the cap ends here. More than that, and the words are common
    enough for the walk newest first along (received_at, id) to stop within a page:
    N x page / cap rows at most."""
    cap = settings.SUPPORTAL_TICKET_SEARCH_COUNT_CAP
    order = DOCUMENT_ORDERS[tuple(search.order)]
    after = after_cursor(documents, order=order, cursor=cursor)
    capped = after.order_by()[: cap + 1].aggregate(
        found=Count("ticket_id"),
        times=_first_in_order("received_at", order, limit + 1, DateTimeField()),
        ids=_first_in_order("ticket_id", order, limit + 1, BigIntegerField()),
    )
    if cursor is None:
        search.counted.update(cap=cap, found=capped["found"])
    if capped["found"] <= cap:
        rows = list(zip(capped["times"], capped["ids"], strict=True))
    else:
        rows = list(after.order_by(*order).values_list("received_at", "ticket_id")[: limit + 1])
    next_cursor = encode_cursor(list(rows[limit - 1])) if len(rows) > limit else None
    return [ticket_id for _, ticket_id in rows[:limit]], next_cursor


def _first_in_order(column: str, order: list[str], size: int, field: Field[Any, Any]) -> Func:
    """The first ``size`` values of ``column`` in ``order``, as one array (PostgreSQL)."""
    return Func(
        ArrayAgg(column, order_by=order, default=[]),
        template=f"(%(expressions)s)[1:{int(size)}]",
        output_field=ArrayField(field),
    )


@dataclass(frozen=True)
class MatchCount:
    count: int
    capped: bool  # there are more than ``count``

    def __str__(self) -> str:
        return f"{self.count:,}+" if self.capped else f"{self.count:,}"


def count_matches(matches: TicketSearch | QuerySet[Ticket], cap: int | None = None) -> MatchCount:
    """How many tickets match, counting no further than the cap (one query, which stops
    reading at cap + 1 rows however common the words); a search with documents is
    counted on the search table."""
    cap = cap or settings.SUPPORTAL_TICKET_SEARCH_COUNT_CAP
    rows: QuerySet[Any]
    if isinstance(matches, TicketSearch) and matches.counted.get("cap") == cap:
        found = matches.counted["found"]
        return MatchCount(count=min(found, cap), capped=found > cap)
    if isinstance(matches, TicketSearch):
        rows = matches.tickets if matches.documents is None else matches.documents
    else:
        rows = matches
    varies = not isinstance(matches, TicketSearch) or matches.reach_varies
    with planned_for_values(needed=varies):
        found = rows.select_related(None).prefetch_related(None).order_by()[: cap + 1].count()
    return MatchCount(count=min(found, cap), capped=found > cap)


def _in_default_zone(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _parse_day(key: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SearchFilterError(f"{key}:{value} is not a date; write it as 2026-01-31.") from None


def _yes_no(key: str, value: str) -> bool:
    if value.lower() in YES:
        return True
    if value.lower() in NO:
        return False
    raise SearchFilterError(f"{key}:{value} should be {key}:yes or {key}:no.")


def _apply_filter(qs: QuerySet[Ticket], user: User, key: str, value: str) -> QuerySet[Ticket]:
    """``qs`` narrowed by one ``key:value`` filter; SearchFilterError when it cannot be."""
    if not value:
        raise SearchFilterError(f"{key}: needs a value.")
    lowered = value.lower()
    staff = user.is_staff_or_auditor
    if key == "status":
        statuses = []
        for part in lowered.split(","):
            status = STATUS_WORDS.get(part, part)
            if status not in Ticket.Status.values:
                raise SearchFilterError(
                    f"status:{part} is not a status; use "
                    + ", ".join(Ticket.Status.values)
                    + " (several with commas)."
                )
            statuses.append(status)
        return qs.filter(status__in=statuses)
    if key == "is":
        return _apply_is(qs, user, lowered)
    if key == "product":
        return qs.filter(product__slug=lowered)
    if key == "region":
        return qs.filter(organization__support_region__code=lowered)
    if key == "assignee":
        if lowered == "me":
            return qs.filter(assignee=user)
        if lowered == "none":
            return qs.filter(assignee__isnull=True)
        if lowered.isdigit():
            return qs.filter(assignee_id=int(lowered))
        return qs.filter(assignee__email__iexact=value)
    if key == "requester":
        if lowered == "me":
            return qs.filter(requester=user)
        if lowered.isdigit():
            return qs.filter(requester_id=int(lowered))
        return qs.filter(requester__email__iexact=value)
    if key == "org":
        org_ids = Organization.objects.filter(Q(slug=lowered) | Q(name__iexact=value)).values("id")
        return qs.filter(organization_id__in=org_ids)
    if key == "tag":
        if not staff:
            raise SearchFilterError(_("Tags are for support staff."))
        return qs.filter(tags__name=normalize_tag(value))
    if key == "after":
        return qs.filter(received_at__gte=_in_default_zone(_parse_day(key, value)))
    if key == "before":
        return qs.filter(received_at__lt=_in_default_zone(_parse_day(key, value)))
    if key == "urgent":
        return qs.filter(urgent=_yes_no(key, value))
    if key == "sla":
        if lowered in {"breached", "missed"}:
            return qs.filter(sla_breached=True)
        if lowered in {"met", "ok"}:
            return qs.filter(sla_breached=False)
        raise SearchFilterError(f"sla:{value} should be sla:breached or sla:met.")
    if key == "field":
        name, sep, wanted = value.partition("=")
        if not sep or not name.strip():
            raise SearchFilterError(f"field:{value} should be field:name=value.")
        name = name.strip()
        if not CustomField.objects.filter(key=name, active=True).exists():
            raise SearchFilterError(_("There is no field called %(name)r.") % {"name": name})
        return custom_fields.filter_by_field(qs, name, wanted.strip(), staff=staff)
    raise SearchFilterError(f"{key}: is not a filter.")


def _apply_is(qs: QuerySet[Ticket], user: User, value: str) -> QuerySet[Ticket]:
    if value == "open":
        # "in_queue IN (true)": the form the (in_queue, ...) index is matched on (queries.py).
        return qs.filter(in_queue__in=[True])
    if value == "closed":
        return qs.filter(in_queue__in=[False])
    if value == "unassigned":
        return qs.filter(assignee__isnull=True)
    if value == "urgent":
        return qs.filter(urgent=True)
    if value == "breached":
        return qs.filter(sla_breached=True)
    if value == "escalated":
        return qs.filter(engineering_escalated_at__isnull=False)
    if value == "mine":
        return qs.filter(requester=user) if user.is_customer else qs.filter(assignee=user)
    raise SearchFilterError(
        f"is:{value} is not known; use is:open, closed, unassigned, urgent, breached, "
        "escalated or mine."
    )


def _vector_matches(parsed: ParsedQuery, *, internal: bool) -> dict[str, SearchQuery]:
    """The search table's lookups for the words: the GIN index on the whole text finds
    the candidates; for a customer the public text decides."""
    query = SearchQuery(
        tsquery_text(parsed),
        search_type="raw",
        config=settings.SUPPORTAL_TICKET_SEARCH_LANGUAGE,
    )
    return {"vector": query} if internal else {"vector": query, "public_vector": query}


def _match_text(qs: QuerySet[Ticket], parsed: ParsedQuery, *, internal: bool) -> QuerySet[Ticket]:
    if connection.vendor == "postgresql":
        matches = _vector_matches(parsed, internal=internal)
        # The GIN index on the whole text finds the candidates; for a customer the public
        # text decides. The ids first, up to the count cap: joined to the tickets in one
        # statement, the planner walks the newest tickets testing each one's text, which
        # for a rare word means every ticket (seconds at a million). A word in more
        # tickets than the cap is common enough for that walk to stop early.
        cap = settings.SUPPORTAL_TICKET_SEARCH_COUNT_CAP
        documents = TicketSearchDocument.objects.filter(**matches)
        if not internal:
            # A customer's tickets are few: only theirs count toward the cap.
            documents = documents.filter(ticket__in=qs.values("pk"))
        ids = list(documents.values_list("ticket_id", flat=True)[: cap + 1])
        if len(ids) <= cap:
            # One array parameter, not one placeholder per id: planned in a fraction.
            in_ids = RawSQL(  # noqa: S611 - a constant column; the ids are one parameter
                f"{Ticket._meta.db_table}.id = ANY(%s)", (ids,), output_field=BooleanField()
            )
            return qs.alias(matched=in_ids).filter(matched=True)
        return qs.filter(**{f"search_document__{k}": v for k, v in matches.items()})
    expression = fts5_expression(parsed)
    if not internal:
        expression = "{subject body} : (" + expression + ")"
    return qs.filter(
        pk__in=RawSQL(  # noqa: S611 - a constant table name; the expression is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            (expression,),
        )
    )


def tsquery_text(parsed: ParsedQuery) -> str:
    """A to_tsquery() string: every word, every phrase as words in a row (``<->``). Words
    are letters and digits only, so no tsquery syntax can hide in them."""
    terms = list(parsed.words)
    terms += ["(" + " <-> ".join(phrase) + ")" for phrase in parsed.phrases]
    return " & ".join(terms)


def fts5_expression(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every word and every phrase, each double-quoted."""
    terms = ['"' + word + '"' for word in parsed.words]
    terms += ['"' + " ".join(phrase) + '"' for phrase in parsed.phrases]
    return " AND ".join(terms)


# --- Keeping the index in step (called by the services only) ----------------------------


def _postgres_index_sql(where: str) -> str:
    # MATERIALIZED: the public vector is computed once, though read twice (the customer's
    # vector, and the start of staff's); inlined, PostgreSQL would parse the text twice.
    user_table = User._meta.db_table
    org_table = Organization._meta.db_table
    reply_table = Reply._meta.db_table
    columns = ", ".join(COPIED_COLUMNS)
    return f"""
        WITH d AS MATERIALIZED (
            SELECT t.id,
                   to_tsvector(%(config)s::regconfig, concat_ws(' ', t.subject, t.description,
                               u.name, o.name, r.public)) AS public,
                   coalesce(r.internal, '') AS internal,
                   {", ".join("t." + c for c in COPIED_COLUMNS)}
            FROM tickets_ticket t
            JOIN {user_table} u ON u.id = t.requester_id
            JOIN {org_table} o ON o.id = t.organization_id
            LEFT JOIN LATERAL (
                SELECT string_agg(body, ' ') FILTER (WHERE NOT internal) AS public,
                       string_agg(body, ' ') FILTER (WHERE internal) AS internal
                FROM {reply_table} WHERE ticket_id = t.id
            ) r ON true
            WHERE {where}
        )
        INSERT INTO tickets_ticketsearchdocument (ticket_id, public_vector, vector, {columns})
        SELECT d.id, d.public, d.public || to_tsvector(%(config)s::regconfig, d.internal),
               {columns}
        FROM d
        ON CONFLICT (ticket_id) DO UPDATE
        SET public_vector = EXCLUDED.public_vector, vector = EXCLUDED.vector,
            {", ".join(f"{c} = EXCLUDED.{c}" for c in COPIED_COLUMNS)}
    """  # noqa: S608 - identifiers are our constants; every value is a bound parameter


def _sqlite_index_sql(where: str) -> str:
    user_table = User._meta.db_table
    org_table = Organization._meta.db_table
    reply_table = Reply._meta.db_table
    return f"""
        INSERT INTO {FTS_TABLE} (rowid, subject, body, internal)
        SELECT t.id, t.subject,
               t.description || ' ' || u.name || ' ' || o.name || ' ' || coalesce(
                   (SELECT group_concat(body, ' ') FROM {reply_table} r
                    WHERE r.ticket_id = t.id AND NOT r.internal), ''),
               coalesce((SELECT group_concat(body, ' ') FROM {reply_table} r
                         WHERE r.ticket_id = t.id AND r.internal), '')
        FROM tickets_ticket t
        JOIN {user_table} u ON u.id = t.requester_id
        JOIN {org_table} o ON o.id = t.organization_id
        WHERE {where}
    """  # noqa: S608 - identifiers are our constants; every value is a bound parameter


def index_tickets(ticket_ids: Sequence[int]) -> None:
    """Bring the index in line with these tickets and their replies. Called by every
    service that writes a ticket's text or a reply, inside its transaction."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                _postgres_index_sql("t.id = ANY(%(ids)s)"),
                {"config": settings.SUPPORTAL_TICKET_SEARCH_LANGUAGE, "ids": ids},
            )
            return
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)  # noqa: S608
        cursor.execute(_sqlite_index_sql(f"t.id IN ({placeholders})"), ids)


def index_ticket_columns(ticket_ids: Sequence[int]) -> None:
    """Copy these tickets' sort key and filter columns (status, assignee, urgent, ...) into
    their search documents. Called by every service that changes one of them, inside its
    transaction; SQLite's FTS5 table holds no such columns."""
    ids = sorted(set(ticket_ids))
    if not ids or connection.vendor != "postgresql":
        return
    columns = ", ".join(COPIED_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TicketSearchDocument._meta.db_table} d SET ({columns}) = "  # noqa: S608
            f"(SELECT {columns} FROM {Ticket._meta.db_table} t WHERE t.id = d.ticket_id) "
            "WHERE d.ticket_id = ANY(%s)",
            [ids],
        )


def reindex_tickets_of(
    *, requester_id: int | None = None, organization_id: int | None = None, batch: int = 5_000
) -> int:
    """Index again the tickets of a requester or an organization (their name changed, and
    every document of theirs holds it); ``batch`` tickets per transaction, read a batch at
    a time (an organization may have tens of thousands). Returns the count."""
    tickets = Ticket.objects.order_by("pk")
    if requester_id is not None:
        tickets = tickets.filter(requester_id=requester_id)
    if organization_id is not None:
        tickets = tickets.filter(organization_id=organization_id)
    done, after = 0, 0
    while ids := list(tickets.filter(pk__gt=after).values_list("pk", flat=True)[:batch]):
        with transaction.atomic():
            index_tickets(ids)
        done, after = done + len(ids), ids[-1]
    return done


def rebuild_index(*, batch: int = 20_000, log: Callable[[str], None] | None = None) -> int:
    """Index every ticket again, ``batch`` tickets per statement (after a bulk load, a
    language change, or on upgrading to a version with ticket search). Returns the count."""
    bounds = Ticket.objects.order_by("pk").values_list("pk", flat=True)
    first, last = bounds.first(), bounds.last()
    if first is None or last is None:
        return 0
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if not postgres:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        for start in range(first, last + 1, batch):
            end = start + batch - 1
            if postgres:
                cursor.execute(
                    _postgres_index_sql("t.id BETWEEN %(start)s AND %(end)s"),
                    {
                        "config": settings.SUPPORTAL_TICKET_SEARCH_LANGUAGE,
                        "start": start,
                        "end": end,
                    },
                )
            else:
                cursor.execute(_sqlite_index_sql("t.id BETWEEN %s AND %s"), [start, end])
            if log:
                log(f"indexed tickets {start:,}–{min(end, last):,} of {last:,}")
        if not postgres:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
    return Ticket.objects.count()
