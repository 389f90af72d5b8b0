"""KB pages: search, reading, voting, staff authoring with preview, history and diffs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from supportal.kb.models import Article, ArticleVote, SearchGap
from tests.tickets.pages import assert_csp_clean

pytestmark = pytest.mark.django_db


def test_search_page_shows_ranked_hits_with_highlights(kb, client_for):
    response = client_for(kb.bob).get(reverse("kb:index"), {"q": "shipping method"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "How to add a shipping method" in html
    assert "<mark>" in html
    assert_csp_clean(response)


def test_search_page_htmx_request_gets_only_the_results_fragment(kb, client_for):
    response = client_for(kb.bob).get(
        reverse("kb:index"), {"q": "fonts"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert "Template preview shows the wrong font" in html
    assert "<html" not in html


def test_a_search_that_finds_nothing_is_recorded_as_a_gap(kb, client_for):
    client_for(kb.bob).get(reverse("kb:index"), {"q": "barcode scanner", "product": "pjm"})

    assert SearchGap.objects.get().query == "barcode scanner"


def test_customers_do_not_see_drafts_anywhere(kb, client_for):
    draft = Article.objects.get(status=Article.Status.DRAFT)
    client = client_for(kb.carol)

    assert client.get(draft.get_absolute_url()).status_code == 404
    results = client.get(reverse("kb:index"), {"q": "integration"}).content.decode()
    assert draft.title not in results


def test_staff_read_drafts(kb, client_for):
    draft = Article.objects.get(status=Article.Status.DRAFT)

    assert client_for(kb.agent).get(draft.get_absolute_url()).status_code == 200


def test_article_page_renders_sanitised_markdown(kb, client_for, write_article):
    article = write_article(
        "Danger", body="**bold** <script>alert(1)</script> [x](javascript:alert(1))"
    )

    response = client_for(kb.bob).get(article.get_absolute_url())

    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert_csp_clean(response)


def test_vote_is_recorded_and_can_be_changed(kb, client_for):
    article = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    client = client_for(kb.bob)
    url = reverse("kb:article_vote", args=[article.slug])

    client.post(url, {"helpful": "yes"})
    client.post(url, {"helpful": "no"})

    assert ArticleVote.objects.get(article=article, user=kb.bob).helpful is False


def test_customers_cannot_reach_authoring_pages(kb, client_for):
    article = Article.objects.first()
    client = client_for(kb.alice)

    for url in (
        reverse("kb:article_new"),
        reverse("kb:article_edit", args=[article.slug]),
        reverse("kb:article_history", args=[article.slug]),
        reverse("kb:insights"),
    ):
        assert client.get(url).status_code == 404, url


def test_preview_renders_markdown_without_saving_and_keeps_what_was_typed(kb, client_for):
    response = client_for(kb.agent).post(
        reverse("kb:article_new"),
        {"title": "Preview me", "product": "pjm", "body": "# Heading\n\n*soft*", "preview": "1"},
    )

    html = response.content.decode()
    assert "<h1>Heading</h1>" in html
    assert "<em>soft</em>" in html
    assert 'value="Preview me"' in html
    assert not Article.objects.filter(title="Preview me").exists()


def test_invalid_article_shows_field_errors_and_keeps_input(kb, client_for):
    response = client_for(kb.agent).post(
        reverse("kb:article_new"), {"title": "Kept title", "product": "pjm", "body": ""}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Kept title"' in html
    assert "field-error" in html


def test_staff_write_edit_and_diff_an_article(kb, client_for):
    client = client_for(kb.agent)
    response = client.post(
        reverse("kb:article_new"),
        {
            "title": "Hot folders",
            "product": "tflow",
            "body": "Line one\nLine two",
            "published": "on",
        },
    )
    article = Article.objects.get(title="Hot folders")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()

    client.post(
        reverse("kb:article_edit", args=[article.slug]),
        {
            "title": "Hot folders in tFlow",
            "product": "tflow",
            "body": "Line one\nLine 2",
            "published": "on",
            "note": "Clearer",
        },
    )

    history = client.get(reverse("kb:article_history", args=[article.slug])).content.decode()
    assert "Clearer" in history and "r2" in history
    diff = client.get(reverse("kb:article_diff", args=[article.slug, 2]))
    html = diff.content.decode()
    assert "kb-diff__line--removed" in html and "Line two" in html
    assert "kb-diff__line--added" in html and "Line 2" in html
    assert "Hot folders in tFlow" in html
    assert_csp_clean(diff)


def test_docs_tree_and_page(kb, client_for):
    client = client_for(kb.bob)
    index = client.get(reverse("kb:docs")).content.decode()
    assert "Getting started" in index and "Creating a site" in index

    page = client.get(reverse("kb:doc", args=["pressero", "creating-a-site"]))
    assert page.status_code == 200
    assert "storefront" in page.content.decode()


def test_video_page_allows_only_the_allow_listed_player_in_its_csp(kb, client_for):
    response = client_for(kb.bob).get(reverse("kb:video", args=["pressero-setting-up-shipping"]))

    csp = response.headers["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in csp
    assert "Transcript" in response.content.decode()
    assert (
        "frame-src"
        not in client_for(kb.bob).get(reverse("kb:videos")).headers["Content-Security-Policy"]
    )
