"""One search function, two engines: SQLite FTS5 (the embedded default) and PostgreSQL
full-text search over a GIN index. The database in use picks the engine.

Any text may be searched; a search box's very long query is cut (``cut_query``), not refused.
Typed text never reaches SQL as syntax: it is split into words (letters and digits only),
and each word is quoted by us (FTS5) or is a bare lexeme of nothing but word characters
(tsquery), always passed as a bound parameter. Quotes, AND/OR/NEAR, ``*``, ``^``,
parentheses or an empty string therefore find results or none, never an error.

All words must match, the last one as a prefix (search as you type; from its third
letter); when that finds nothing, the last word is shortened by a few letters (the index
holds stems, and a wrong last letter is forgiven); then any word may match, ranked by how
many and how well (tolerates one wrong word).
Ranking weighs title over tags over body. Snippets are escaped HTML with ``<mark>``.

An article translated into the reader's language is searched (and found) in that language;
everything else in the site's own (LANGUAGE_CODE). On PostgreSQL each language's documents
are stemmed with that language's text search configuration (``SEARCH_CONFIGS``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import CombinedExpression

from supportal.accounts.models import Product

from .models import SearchDocument

MAX_WORDS = 16
MAX_WORD_LENGTH = 40
PREFIX_SLACK = 4
MIN_PREFIX = 3  # a last word shorter than this is matched whole, not as a prefix
# Column weights of FTS5's bm25 (title, tags, body): title > tags > body.
FTS5_RANK = "bm25(10.0, 4.0, 1.0)"
# Above this many matches the FTS5 engine ranks title and tag matches first (see below).
FTS5_BROAD_MATCHES = 1500
FTS_TABLE = "kb_search_fts"
# Start and end of a highlighted match in snippets: control characters never indexed.
HL_START, HL_END = "\x02", "\x03"
# PostgreSQL text search configurations of the other languages' documents; a language not
# listed is indexed without stemming ("simple"). The site's own: SUPPORTAL_KB_SEARCH_LANGUAGE.
SEARCH_CONFIGS = {"es": "spanish"}
_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Words too common to narrow a search. PostgreSQL drops its own language's stop words;
# these keep the FTS5 engine from requiring "how", "do" and "I" in every answer.
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be been but by can could did do does
    doing for from had has have having he her here how i if in into is it its just may me
    my no not of on or our out over please should so some than that the their them then
    there these they this to too up us was we were what when where which while who why will
    with would you your""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class SearchHit:
    document_id: int
    kind: str
    object_id: int
    title: str
    url: str
    product_slug: str | None
    snippet: str  # escaped HTML; matches wrapped in <mark>
    score: float  # higher is better, comparable only within one search


def cut_query(text: str) -> str:
    """What a person typed into a search box, as searched: its first
    SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS characters. A longer one (a pasted log or page) is
    cut, not refused. (Suggestions search a ticket's subject and description, uncut.)"""
    return (text or "")[: settings.SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS]


def words_of(text: str) -> list[str]:
    """The searchable words of ``text``: lowercased, stop words dropped (unless that
    leaves nothing), at most MAX_WORDS of at most MAX_WORD_LENGTH characters."""
    words = [w[:MAX_WORD_LENGTH] for w in _WORD.findall((text or "").lower())]
    kept = [w for w in words if w not in STOP_WORDS] or words
    unique = list(dict.fromkeys(kept))
    return unique[:MAX_WORDS]


def prefix_variants(word: str) -> list[str]:
    """The word being typed, and it shortened by up to PREFIX_SLACK letters (never below
    three letters or half the word): the index holds stems ("confirmation" → "confirm"),
    which a half-typed word ("confirmat") would overshoot; a wrong last letter is forgiven
    the same way. Documents matching the longer variants match more terms and rank first."""
    shortest = max(3, len(word) - PREFIX_SLACK, (len(word) + 1) // 2)
    return [word[:n] for n in range(len(word), shortest - 1, -1)] or [word]


def highlight_html(raw: str) -> str:
    """Escape a snippet and turn the engine's match markers into <mark> elements."""
    text = html.escape(raw.replace(HL_START + HL_END, ""))
    return text.replace(HL_START, "<mark>").replace(HL_END, "</mark>").strip()


def clean_index_text(text: str) -> str:
    """Text as stored in the index: no control characters (our highlight markers)."""
    return _CONTROL.sub(" ", text or "")


def search_config(language: str) -> str:
    """The PostgreSQL text search configuration of documents in ``language``."""
    if language == settings.LANGUAGE_CODE:
        return str(settings.SUPPORTAL_KB_SEARCH_LANGUAGE)
    return SEARCH_CONFIGS.get(language, "simple")


def engine_name() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "fts5"


def search(
    query: str,
    *,
    product: str | None = None,
    published_only: bool = True,
    kinds: Sequence[str] | None = None,
    limit: int | None = None,
    language: str | None = None,
) -> list[SearchHit]:
    """Ranked hits for ``query`` (any text at all), best first; ``[]`` when nothing matches.

    ``product`` is a product slug (unknown slugs match nothing); ``kinds`` restricts to
    SearchDocument.Kind values; drafts are found only when ``published_only`` is False.
    ``language`` is the reader's (default: the site's): a document translated into it is
    searched instead of the original."""
    words = words_of(query)
    if not words:
        return []
    limit = limit or settings.SUPPORTAL_KB_SEARCH_RESULTS
    language = language or settings.LANGUAGE_CODE
    product_id: int | None = None
    if product:
        product_id = Product.objects.filter(slug=product).values_list("id", flat=True).first()
        if product_id is None:
            return []
    run = _search_postgresql if connection.vendor == "postgresql" else _search_fts5
    # Cheapest and most precise first: every word, the last as typed; then with the last
    # word shortened (stems, a wrong last letter); then any word.
    scope = _Scope(product_id, published_only, kinds, language)
    hits = run(words, True, False, scope, limit)
    if not hits and len(prefix_variants(words[-1])) > 1:
        hits = run(words, True, True, scope, limit)
    if not hits and len(words) > 1:
        hits = run(words, False, True, scope, limit)
    return hits


@dataclass(frozen=True)
class _Scope:
    product_id: int | None
    published_only: bool
    kinds: Sequence[str] | None
    language: str


def _filters(scope: _Scope) -> tuple[str, list[Any]]:
    """SQL conditions on ``d`` (kb_searchdocument) and their parameters. Documents in the
    reader's language, and the site's own where no translation into it exists."""
    product_id, published_only, kinds = scope.product_id, scope.published_only, scope.kinds
    params: list[Any]
    if scope.language == settings.LANGUAGE_CODE:
        sql, params = " AND d.language = %s", [scope.language]
    else:
        sql = (
            " AND (d.language = %s OR (d.language = %s AND NOT EXISTS ("
            "SELECT 1 FROM kb_searchdocument t WHERE t.kind = d.kind"
            " AND t.object_id = d.object_id AND t.language = %s)))"
        )
        params = [scope.language, settings.LANGUAGE_CODE, scope.language]
    if published_only:
        sql += " AND d.published"
    if product_id is not None:
        sql += " AND d.product_id = %s"
        params.append(product_id)
    if kinds:
        sql += " AND d.kind IN (" + ", ".join(["%s"] * len(kinds)) + ")"
        params.extend(kinds)
    return sql, params


# --- SQLite FTS5 ---------------------------------------------------------------------------


def _last_word_terms(word: str, shorten: bool) -> list[str]:
    if len(word) < MIN_PREFIX:
        return [word]  # too short to stand for a word being typed: matched whole
    return prefix_variants(word) if shorten else [word]


def fts5_expression(words: Sequence[str], *, match_all: bool, shorten: bool = True) -> str:
    """An FTS5 MATCH expression from plain words: each double-quoted (a quote inside is
    doubled, though words_of never yields one), the last one a prefix."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words[:-1]]
    last = words[-1]
    stems = ['"' + w.replace('"', '""') + '"' for w in _last_word_terms(last, shorten)]
    if len(last) >= MIN_PREFIX:
        stems = [stem + "*" for stem in stems]
    quoted.append(stems[0] if len(stems) == 1 else "(" + " OR ".join(stems) + ")")
    return (" AND " if match_all else " OR ").join(quoted)


def _search_fts5(
    words: Sequence[str], match_all: bool, shorten: bool, scope: _Scope, limit: int
) -> list[SearchHit]:
    where, params = _filters(scope)
    product_table = Product._meta.db_table
    sql = f"""
        SELECT d.id, d.kind, d.object_id, d.title, d.url, p.slug,
               snippet({FTS_TABLE}, 2, char(2), char(3), '…', 16),
               {FTS_TABLE}.rank
        FROM {FTS_TABLE}
        JOIN kb_searchdocument d ON d.id = {FTS_TABLE}.rowid
        LEFT JOIN {product_table} p ON p.id = d.product_id
        WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rank MATCH %s{where}
        ORDER BY {FTS_TABLE}.rank
        LIMIT %s
    """  # noqa: S608 - identifiers are constants; every value is a bound parameter
    # ORDER BY rank lets FTS5 sort by itself, so snippet() runs only for the rows returned.
    expression = fts5_expression(words, match_all=match_all, shorten=shorten)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])  # noqa: S608
        if cursor.fetchone()[0] > FTS5_BROAD_MATCHES:
            # Ranking costs per match: for a broad query ("pre" while typing) rank the title
            # and tag matches, which outrank body matches anyway, and fall back if too few.
            cursor.execute(sql, ["{title tags} : (" + expression + ")", FTS5_RANK, *params, limit])
            rows = cursor.fetchall()
            if len(rows) >= limit:
                return _fts5_hits(rows)
        cursor.execute(sql, [expression, FTS5_RANK, *params, limit])
        rows = cursor.fetchall()
    return _fts5_hits(rows)


def _fts5_hits(rows: list[tuple[Any, ...]]) -> list[SearchHit]:
    return [
        SearchHit(
            document_id=row[0],
            kind=row[1],
            object_id=row[2],
            title=row[3],
            url=row[4],
            product_slug=row[5],
            snippet=highlight_html(row[6] or ""),
            score=-float(row[7]),
        )
        for row in rows
    ]


# --- PostgreSQL ------------------------------------------------------------------------


def tsquery_text(words: Sequence[str], *, match_all: bool, shorten: bool = True) -> str:
    """A to_tsquery() string from plain words (word characters only, so no tsquery
    syntax can hide in them), the last one a prefix."""
    terms = list(words[:-1])
    last = words[-1]
    stems = _last_word_terms(last, shorten)
    if len(last) >= MIN_PREFIX:
        stems = [stem + ":*" for stem in stems]
    terms.append(stems[0] if len(stems) == 1 else "(" + " | ".join(stems) + ")")
    return (" & " if match_all else " | ").join(terms)


HEADLINE_OPTIONS = (
    f"StartSel={HL_START}, StopSel={HL_END}, MaxWords=28, MinWords=10, "
    'ShortWord=2, MaxFragments=1, FragmentDelimiter=" … "'
)


def _search_postgresql(
    words: Sequence[str], match_all: bool, shorten: bool, scope: _Scope, limit: int
) -> list[SearchHit]:
    where, params = _filters(scope)
    product_table = Product._meta.db_table
    config = settings.SUPPORTAL_KB_SEARCH_LANGUAGE
    # The query parsed twice: with the site's configuration (q.query) and the reader's
    # (q.lquery), for the documents in the reader's language. The match stays a plain
    # ``search_vector @@ query`` (per language) so the GIN index serves it.
    lang, lconfig = scope.language, search_config(scope.language)
    if lang == settings.LANGUAGE_CODE:
        lquery, lquery_params = "q.query", []
        match, match_params = "d.search_vector @@ q.query", []
    else:
        lquery, lquery_params = "CASE WHEN d.language = %s THEN q.lquery ELSE q.query END", [lang]
        match = (
            "((d.language = %s AND d.search_vector @@ q.lquery)"
            " OR (d.language <> %s AND d.search_vector @@ q.query))"
        )
        match_params = [lang, lang]
    # Rank in the inner query, headline only the few rows kept (ts_headline re-parses text).
    sql = f"""
        WITH q AS (SELECT to_tsquery(%s::regconfig, %s) AS query,
                          to_tsquery(%s::regconfig, %s) AS lquery)
        SELECT d.id, d.kind, d.object_id, d.title, d.url, p.slug,
               ts_headline((CASE WHEN d.language = %s THEN %s ELSE %s END)::regconfig,
                           d.body, {lquery}, %s),
               top.rank
        FROM (
            SELECT d.id, ts_rank(d.search_vector, {lquery}) AS rank
            FROM kb_searchdocument d, q
            WHERE {match}{where}
            ORDER BY rank DESC, d.id
            LIMIT %s
        ) top
        JOIN kb_searchdocument d ON d.id = top.id
        LEFT JOIN {product_table} p ON p.id = d.product_id
        CROSS JOIN q
        ORDER BY top.rank DESC, d.id
    """  # noqa: S608 - identifiers are constants; every value is a bound parameter
    text = tsquery_text(words, match_all=match_all, shorten=shorten)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [config, text, lconfig, text]
            + [lang, lconfig, config, *lquery_params, HEADLINE_OPTIONS]
            + [*lquery_params, *match_params, *params, limit],
        )
        rows = cursor.fetchall()
    return [
        SearchHit(
            document_id=row[0],
            kind=row[1],
            object_id=row[2],
            title=row[3],
            url=row[4],
            product_slug=row[5],
            snippet=highlight_html(row[6] or ""),
            score=float(row[7]),
        )
        for row in rows
    ]


# --- Keeping the index in step (called by the services only) ----------------------------


def _weighted_vector(config: str) -> CombinedExpression:
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("tags", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def _update_vectors(documents: QuerySet[SearchDocument]) -> int:
    """Set the documents' vectors, each stemmed in its own language."""
    count = 0
    for language in documents.values_list("language", flat=True).distinct().order_by():
        count += documents.filter(language=language).update(
            search_vector=_weighted_vector(search_config(language))
        )
    return count


def index_documents(document_ids: Sequence[int]) -> None:
    """Bring the engine's index in line with these SearchDocument rows."""
    if not document_ids:
        return
    ids = list(document_ids)
    if connection.vendor == "postgresql":
        _update_vectors(SearchDocument.objects.filter(pk__in=ids))
        return
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", ids)  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body) "  # noqa: S608
            f"SELECT id, title, tags, body FROM kb_searchdocument WHERE id IN ({placeholders})",
            ids,
        )


def unindex_documents(document_ids: Sequence[int]) -> None:
    if not document_ids or connection.vendor == "postgresql":
        return  # the vector lives on the row itself
    placeholders = ", ".join(["%s"] * len(document_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})",  # noqa: S608
            list(document_ids),
        )


def rebuild_index() -> int:
    """Re-index every SearchDocument (after a language change, or a bulk load)."""
    if connection.vendor == "postgresql":
        return _update_vectors(SearchDocument.objects.all())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, tags, body) "  # noqa: S608
            "SELECT id, title, tags, body FROM kb_searchdocument"
        )
        cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('optimize')")  # noqa: S608
    return SearchDocument.objects.count()
