"""Authoring: validation, slugs that survive title changes, revision history, diffs."""

from __future__ import annotations

import pytest

from supportal.core.errors import InvalidInput, NotPermitted
from supportal.kb import services
from supportal.kb.models import Article, ArticleRevision
from supportal.kb.revisions import diff_lines, field_changes

pytestmark = pytest.mark.django_db


def draft(**fields: object) -> services.ArticleDraft:
    values: dict[str, object] = {
        "title": "How to add a shipping method",
        "body": "Open **Sites > Settings > Shipping**.",
        "product": "pressero",
        "published": True,
        "tags": "Shipping, checkout, shipping",
    }
    values.update(fields)
    return services.ArticleDraft(**values)  # type: ignore[arg-type]


def test_create_article_records_revision_one_and_normalises_tags(demo):
    article = services.create_article(author=demo.agent, draft=draft())

    assert article.slug == "how-to-add-a-shipping-method"
    assert article.tags == "shipping, checkout"
    assert article.published_at is not None
    (revision,) = article.revisions.all()
    assert (revision.number, revision.editor, revision.title) == (1, demo.agent, article.title)


def test_customers_may_not_write_articles(demo):
    with pytest.raises(NotPermitted):
        services.create_article(author=demo.alice, draft=draft())
    assert not Article.objects.exists()


def test_invalid_draft_names_every_bad_field_and_writes_nothing(demo):
    with pytest.raises(InvalidInput) as caught:
        services.create_article(author=demo.agent, draft=draft(title=" ", body="", product="nope"))

    assert set(caught.value.errors) == {"title", "body", "product"}
    assert not Article.objects.exists()


def test_same_title_gets_a_distinct_slug(demo):
    first = services.create_article(author=demo.agent, draft=draft())
    second = services.create_article(author=demo.agent, draft=draft())

    assert first.slug != second.slug


def test_slug_survives_a_title_change_and_history_records_who_changed_what(demo):
    article = services.create_article(author=demo.agent, draft=draft())
    services.update_article(
        article=article,
        editor=demo.agent_es,
        draft=draft(title="Shipping methods", body="Line one.\nLine two.", note="Shorter"),
    )

    article.refresh_from_db()
    assert article.slug == "how-to-add-a-shipping-method"
    assert article.title == "Shipping methods"
    latest, first = list(article.revisions.order_by("-number"))
    assert (latest.number, latest.editor, latest.note) == (2, demo.agent_es, "Shorter")
    assert first.title == "How to add a shipping method"


def test_saving_without_changes_adds_no_revision(demo):
    article = services.create_article(author=demo.agent, draft=draft())
    services.update_article(article=article, editor=demo.agent, draft=draft())

    assert ArticleRevision.objects.filter(article=article).count() == 1


def test_diff_lines_show_removed_and_added_lines_with_context():
    lines = diff_lines("a\nb\nc\n", "a\nB\nc\nd\n")

    assert [(line.op, line.text) for line in lines] == [
        ("same", "a"),
        ("removed", "b"),
        ("added", "B"),
        ("same", "c"),
        ("added", "d"),
    ]


def test_diff_lines_skip_long_unchanged_stretches():
    old = "\n".join(str(n) for n in range(40))
    new = old.replace("5", "five", 1).replace("35", "thirty-five")

    ops = [line.op for line in diff_lines(old, new, context=1)]

    assert "skip" in ops
    assert ops.count("same") == 4


def test_field_changes_list_only_what_differs():
    changes = field_changes({"Title": "A", "Tags": "x"}, {"Title": "B", "Tags": "x"})

    assert [(c.name, c.old, c.new) for c in changes] == [("Title", "A", "B")]
