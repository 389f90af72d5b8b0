"""kb.search on the database in use (FTS5 on SQLite, tsvector + GIN on PostgreSQL)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supportal.kb import search, services
from supportal.kb.models import Article, SearchDocument

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    '"',
    '""',
    "'",
    "' OR 1=1 --",
    '"shipping',
    "shipping AND",
    "AND OR NOT",
    "NEAR(shipping method, 2)",
    "ship*",
    "*",
    "^shipping",
    "(((",
    "shipping) OR (",
    "title:shipping",
    "-shipping",
    "shipping & | ! <-> :*",
    "\\",
    "%_",
    "\x00\x01\x02",
    "😀 emoji",
    "ünïcödé ñ",
    "配送方法",
    "a" * 500,
    " ".join(["word"] * 200),
]


def titles(hits: list[search.SearchHit]) -> list[str]:
    return [hit.title for hit in hits]


def test_title_match_ranks_above_tags_above_body(write_article):
    write_article("Body mention", body="Customers ask about the invoice layout every week.")
    write_article("Tag mention", body="Nothing relevant here.", tags="invoice")
    write_article("Invoice layout", body="Nothing relevant here.")

    hits = search.search("invoice")

    assert titles(hits) == ["Invoice layout", "Tag mention", "Body mention"]


def test_all_words_must_match_before_any_word_does(write_article):
    write_article("Shipping rates", body="Flat rates for local delivery.")
    write_article("Shipping labels", body="Print labels for parcels.")

    assert titles(search.search("shipping labels")) == ["Shipping labels"]


def test_falls_back_to_any_word_when_all_words_find_nothing(write_article):
    write_article("Shipping labels", body="Print labels for parcels.")

    assert titles(search.search("shipping xylophone")) == ["Shipping labels"]


def test_last_word_matches_as_a_prefix_while_typing(write_article):
    write_article("Order confirmation email", body="Edit the template.")

    assert titles(search.search("order confirm")) == ["Order confirmation email"]
    assert titles(search.search("confirmat")) == ["Order confirmation email"]


def test_stemming_finds_other_forms_of_a_word(write_article):
    write_article("Importing jobs", body="PJM imports spreadsheets.")

    assert titles(search.search("import job")) == ["Importing jobs"]


def test_stop_words_are_not_required(write_article):
    write_article("Add a shipping method", body="Open the settings.")

    assert titles(search.search("how do I add shipping")) == ["Add a shipping method"]


def test_product_filter_keeps_only_that_product(write_article):
    write_article("Fonts in Pressero", product="pressero")
    write_article("Fonts in eDocBuilder", product="edocbuilder")

    assert titles(search.search("fonts", product="edocbuilder")) == ["Fonts in eDocBuilder"]
    assert search.search("fonts", product="no-such-product") == []


def test_drafts_are_found_only_when_asked(write_article):
    write_article("Secret roadmap", published=False)

    assert search.search("roadmap") == []
    assert titles(search.search("roadmap", published_only=False)) == ["Secret roadmap"]


def test_snippet_highlights_matches_and_escapes_html(write_article):
    write_article("Scripts", body="Never paste <script>alert(1)</script> into the head area.")

    (hit,) = search.search("head")

    assert "<mark>head</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert "</script>" not in hit.snippet


def test_unicode_words_are_found_with_or_without_accents(write_article):
    write_article("Café menu printing", body="Impresión de menús para cafeterías.")

    assert titles(search.search("café")) == ["Café menu printing"]
    assert titles(search.search("impresión")) == ["Café menu printing"]


def test_edited_article_is_reindexed(write_article, demo):
    article = write_article("Old wording", body="Nothing.")
    services.update_article(
        article=article,
        editor=demo.agent,
        draft=services.ArticleDraft(
            title="Brand new wording", body="Nothing.", product="pressero", published=True
        ),
    )

    assert search.search("old wording") == [] or titles(search.search("old wording")) == [
        "Brand new wording"
    ]
    assert titles(search.search("brand")) == ["Brand new wording"]


def test_unpublishing_hides_an_article_from_customers(write_article, demo):
    article = write_article("Temporary notice")
    services.update_article(
        article=article,
        editor=demo.agent,
        draft=services.ArticleDraft(
            title="Temporary notice", body="Some answer.", product="pressero"
        ),
    )

    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert search.search("temporary") == []


def test_docs_and_video_transcripts_are_searchable(kb):
    hits = search.search("flat rate local delivery")

    kinds = {hit.kind for hit in hits}
    assert SearchDocument.Kind.VIDEO in kinds
    assert search.search("storefront own address", kinds=["doc"])[0].title == "Creating a site"


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_query_returns_results_or_none_never_an_error(write_article, query):
    write_article("Shipping method", body="Quotes \" and 'apostrophes' and AND OR NEAR.")

    hits = search.search(query)

    assert isinstance(hits, list)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(max_size=80))
def test_any_text_at_all_searches_without_error(write_article, query):
    hits = search.search(query, product="pressero")
    assert isinstance(hits, list)


def test_words_of_quotes_nothing_and_drops_operators():
    assert search.words_of('"shipping" AND (method*)') == ["shipping", "method"]
    assert search.fts5_expression(['a"b', "cat"], match_all=True) == '"a""b" AND "cat"*'
    assert search.tsquery_text(["ship", "met"], match_all=False) == "ship | met:*"
    assert (
        search.tsquery_text(["confirm"], match_all=True)
        == "(confirm:* | confir:* | confi:* | conf:*)"
    )


def test_prefix_variants_shorten_the_typed_word_but_not_below_three_letters():
    assert search.prefix_variants("confirmat") == [
        "confirmat",
        "confirma",
        "confirm",
        "confir",
        "confi",
    ]
    assert search.prefix_variants("organizat")[-1] == "organ"
    assert search.prefix_variants("shi") == ["shi"]
    assert search.prefix_variants("ab") == ["ab"]
