"""tickets.query_syntax: the search box's language, without a database."""

from __future__ import annotations

from supportal.tickets.query_syntax import MAX_WORDS, parse_query


def test_words_phrases_and_filters_are_told_apart():
    parsed = parse_query('status:open tag:dns "Exact Phrase here" Checkout')
    assert parsed.words == ("checkout",)
    assert parsed.phrases == (("exact", "phrase", "here"),)
    assert parsed.filters == (("status", "open"), ("tag", "dns"))


def test_quoted_filter_values_and_aliases():
    parsed = parse_query('organization:"Acme Print" sort:oldest assigned:me')
    assert parsed.filters == (("org", "Acme Print"), ("order", "oldest"), ("assignee", "me"))


def test_unknown_keys_are_searched_as_words():
    assert parse_query("Error: timeout").words == ("error", "timeout")
    assert parse_query("http://example.test").words == ("http", "example", "test")


def test_engine_syntax_becomes_plain_words():
    parsed = parse_query('a & !b | c:* (d) NEAR/2 "e')
    assert all(word.isalnum() for word in parsed.words)
    assert parsed.filters == ()


def test_stop_words_are_dropped_unless_nothing_else_is_typed():
    assert parse_query("how do I export the report").words == ("export", "report")
    only = parse_query("the and of")
    assert only.words == () and only.only_common_words and only.notes
    assert not parse_query("").only_common_words


def test_a_one_word_phrase_is_a_word_and_long_queries_are_cut():
    assert parse_query('"invoice"').words == ("invoice",)
    parsed = parse_query(" ".join(f"word{i}" for i in range(40)))
    assert len(parsed.words) == MAX_WORDS and parsed.notes
