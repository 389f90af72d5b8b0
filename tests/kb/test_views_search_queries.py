"""Whatever a person pastes into KB search, the page and the API answer 200: a very long
query is cut to SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS and searched, not refused; a query of
nothing but operators or punctuation finds results or none. Runs on SQLite FTS5 and on
PostgreSQL full-text search (the suite's DATABASE_URL)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from supportal.kb.models import SearchGap
from tests.api.client import ApiClient

pytestmark = pytest.mark.django_db

LONG_WORDS = "shipping method " * 400  # 6,400 characters
LONG_TAIL = "shipping method " + "x" * 5000  # one giant last word after the real ones
OPERATORS_ONLY = [
    "AND",
    "OR NOT",
    "NEAR(a b, 2)",
    '"',
    '""',
    "'",
    "***",
    "()",
    "(((",
    ")",
    "-",
    "+",
    "^",
    ":",
    ":*",
    "a:*",
    "!",
    "&&",
    "||",
    "<->",
    "a & b | !c",
    "{title tags}:",
    "' OR 1=1 --",
    "%_%",
    "\\",
    "!@#$%^&*()_+-=[]{};':\",./<>?`~",
    "…",
    "。、「」",
    "²³",
    "🙂🙂",
    "\t \r\n ",
]


@pytest.fixture
def article(write_article):
    return write_article("Shipping method setup", body="Add a shipping method to your store.")


@pytest.mark.parametrize("query", [LONG_WORDS, LONG_TAIL], ids=["many-words", "giant-word"])
def test_a_very_long_query_is_cut_and_searched_on_the_page(article, client_for, demo, query):
    response = client_for(demo.bob).get(reverse("kb:index"), {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Shipping method setup" in html and "<mark>" in html  # a hit, not "recent" list


@pytest.mark.parametrize("query", [LONG_WORDS, LONG_TAIL], ids=["many-words", "giant-word"])
def test_a_very_long_query_is_cut_and_searched_by_the_api(article, demo, query):
    response = ApiClient(Client()).get("/kb/search", user=demo.bob, q=query)
    assert response.status_code == 200, response.content
    assert [item["title"] for item in response.json()["items"]] == ["Shipping method setup"]


def test_a_long_query_that_finds_nothing_is_recorded_cut(article, demo, settings):
    settings.SUPPORTAL_KB_SEARCH_QUERY_MAX_CHARS = 16
    ApiClient(Client()).get("/kb/search", user=demo.bob, q="barcode scanner " * 100)
    assert SearchGap.objects.get().query == "barcode scanner"


@pytest.mark.parametrize("query", OPERATORS_ONLY)
def test_operators_or_punctuation_alone_answer_200_on_the_page(article, client_for, demo, query):
    client = client_for(demo.bob)
    assert client.get(reverse("kb:index"), {"q": query}).status_code == 200
    suggest = {"subject": query, "description": query, "product": "pressero"}
    assert client.get(reverse("kb:suggest"), suggest).status_code == 200


@pytest.mark.parametrize("query", OPERATORS_ONLY)
def test_operators_or_punctuation_alone_answer_200_from_the_api(article, demo, query):
    response = ApiClient(Client()).get("/kb/search", user=demo.bob, q=query)
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["items"], list)
