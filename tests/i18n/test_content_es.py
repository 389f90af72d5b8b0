"""Spanish versions of KB articles and news posts (issue 22): Spanish readers see them,
with a notice where there is none yet; English readers always see English; KB search
finds the Spanish words for a Spanish reader (on SQLite FTS5 and on PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from supportal.demo.news_status_ideas import load_news_status_ideas_demo
from supportal.kb import search, services
from supportal.kb.demo import load_kb_demo
from supportal.kb.models import Article, ArticleTranslation, SearchDocument
from supportal.news.models import Post

pytestmark = pytest.mark.django_db

TRANSLATED = "How to add a shipping method"  # the demo article with a Spanish version
UNTRANSLATED = "Edit the order confirmation email template"
NOT_YET = "Este artículo aún no está traducido"


@pytest.fixture
def kb(demo):
    load_kb_demo(demo)
    return demo


def reader(user, language: str) -> Client:
    client = Client(headers={"accept-language": language})
    type(user).objects.filter(pk=user.pk).update(language=language)  # the account's choice
    client.force_login(user)
    return client


def page(client: Client, title: str) -> str:
    article = Article.objects.get(title=title)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_spanish_reader_sees_the_spanish_version(kb):
    html = page(reader(kb.bob, "es"), TRANSLATED)

    assert "Cómo añadir un método de envío" in html
    assert "restrínjalo a grupos de usuarios" in html
    assert NOT_YET not in html
    assert "¿Le ha resultado útil este artículo?" in html  # the page's own texts too


def test_spanish_reader_gets_english_with_a_notice_where_there_is_no_translation(kb):
    html = page(reader(kb.bob, "es"), UNTRANSLATED)

    assert UNTRANSLATED in html
    assert NOT_YET in html


def test_english_reader_always_sees_english(kb):
    html = page(reader(kb.bob, "en"), TRANSLATED)

    assert TRANSLATED in html
    assert "Shipping methods are set per site." in html
    assert "Cómo añadir" not in html
    assert "not translated yet" not in html
    assert "Was this article helpful?" in html


def test_spanish_search_finds_the_spanish_version(kb):
    hits = search.search("transportista", language="es")

    assert [hit.title for hit in hits] == ["Cómo añadir un método de envío"]
    assert "<mark>" in hits[0].snippet
    assert search.search("transportista") == []  # an English reader searches English


def test_spanish_search_still_finds_untranslated_articles_in_english(kb):
    hits = search.search("confirmation email", language="es")

    assert UNTRANSLATED in [hit.title for hit in hits]


def test_search_page_shows_the_spanish_title_to_a_spanish_reader(kb):
    response = reader(kb.bob, "es").get(reverse("kb:index"), {"q": "método de envío"})

    html = response.content.decode()
    assert "Cómo añadir un método de envío" in html
    assert 'href="/kb/articles/how-to-add-a-shipping-method/"' in html


def test_staff_give_an_article_a_spanish_version_in_the_form_and_remove_it(kb):
    article = Article.objects.get(title=UNTRANSLATED)
    client = reader(kb.agent, "en")
    form = {
        "title": article.title,
        "product": article.product.slug,
        "category": article.category_id,
        "tags": article.tags,
        "body": article.body,
        "published": "on",
        "title_es": "Editar la plantilla del correo de confirmación",
        "body_es": "Abra **Sites > Settings > Email templates** y edite el texto.",
    }
    edit = reverse("kb:article_edit", kwargs={"slug": article.slug})

    assert "Title in Español" in client.get(edit).content.decode()
    response = client.post(edit, form)

    assert response.status_code == 302
    version = ArticleTranslation.objects.get(article=article, language="es")
    assert version.title == "Editar la plantilla del correo de confirmación"
    assert article.revisions.count() == 1  # the English article did not change
    assert [h.title for h in search.search("plantilla", language="es")] == [version.title]

    client.post(edit, {**form, "title_es": "", "body_es": ""})

    assert not ArticleTranslation.objects.filter(article=article).exists()
    assert not SearchDocument.objects.filter(object_id=article.pk, language="es").exists()
    assert search.search("plantilla", language="es") == []


def test_a_translation_needs_both_a_title_and_an_answer(kb):
    article = Article.objects.get(title=UNTRANSLATED)
    draft = services.ArticleDraft(
        title=article.title,
        body=article.body,
        product=article.product.slug,
        published=True,
        translations=(services.TranslationDraft("es", title="Solo el título"),),
    )

    with pytest.raises(services.InvalidInput) as raised:
        services.update_article(article=article, editor=kb.agent, draft=draft)

    assert "body_es" in raised.value.errors


def test_api_drafts_leave_translations_alone(kb):
    """The API's drafts carry no translations (None): saving one keeps the Spanish version."""
    article = Article.objects.get(title=TRANSLATED)
    draft = services.ArticleDraft(
        title=article.title, body=article.body + "\n\nMore.", product="pressero", published=True
    )

    services.update_article(article=article, editor=kb.agent, draft=draft)

    assert ArticleTranslation.objects.filter(article=article, language="es").exists()


# --- News -------------------------------------------------------------------------------


@pytest.fixture
def news(demo):
    load_news_status_ideas_demo(demo)
    return demo


def test_spanish_reader_sees_the_spanish_post_in_the_list_and_on_its_page(news):
    client = reader(news.bob, "es")
    post = Post.objects.get(title__startswith="eDocBuilder 5.4")

    listing = client.get(reverse("news:list")).content.decode()
    detail = client.get(post.get_absolute_url()).content.decode()

    assert "vistas previas más rápidas" in listing
    assert "Las vistas previas se generan el doble de rápido" in listing  # the summary
    assert "eDocBuilder 5.4: vistas previas más rápidas y fuentes alternativas" in detail
    assert "Ya está disponible eDocBuilder 5.4." in detail
    assert "aún no está traducida" not in detail


def test_spanish_reader_gets_an_untranslated_post_in_english_with_a_notice(news):
    post = Post.objects.get(title__startswith="Five tips")

    html = reader(news.bob, "es").get(post.get_absolute_url()).content.decode()

    assert "Five tips for a storefront that sells on day one" in html
    assert "Esta entrada aún no está traducida" in html


def test_english_reader_sees_the_english_post(news):
    post = Post.objects.get(title__startswith="eDocBuilder 5.4")

    html = reader(news.bob, "en").get(post.get_absolute_url()).content.decode()

    assert "eDocBuilder 5.4: faster previews and font fallbacks" in html
    assert "vistas previas" not in html
    assert "not translated yet" not in html


# --- Django admin -----------------------------------------------------------------------


def _admin_form(html: str) -> dict[str, str]:
    """The change form's inputs as the browser would send them (hidden and text)."""
    data = {}
    for tag in re.findall(r"<input[^>]+>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name and 'type="checkbox"' not in tag and 'type="submit"' not in tag:
            value = re.search(r'value="([^"]*)"', tag)
            data[name.group(1)] = value.group(1) if value else ""
    return data


def test_staff_add_a_spanish_post_and_article_in_the_admin(news):
    load_kb_demo(news)
    client = reader(news.manager, "en")
    post = Post.objects.get(title__startswith="Five tips")
    article = Article.objects.get(title=UNTRANSLATED)

    post_url = reverse("admin:news_post_change", args=[post.pk])
    data = _admin_form(client.get(post_url).content.decode())
    data.update(
        {
            "kind": post.kind,
            "title": post.title,
            "slug": post.slug,
            "summary": post.summary,
            "body": post.body,
            "tags": post.tags,
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "es",
            "translations-0-title": "Cinco consejos para una tienda que vende desde el primer día",
            "translations-0-summary": "",
            "translations-0-body": "1. Configure el **envío** antes que los productos.",
        }
    )
    response = client.post(post_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert post.translations.get().language == "es"

    article_url = reverse("admin:kb_article_change", args=[article.pk])
    data = _admin_form(client.get(article_url).content.decode())
    data.update(
        {
            "translations-TOTAL_FORMS": "1",
            "translations-0-language": "es",
            "translations-0-title": "Editar la plantilla del correo de confirmación",
            "translations-0-body": "Abra la plantilla y edite el texto.",
        }
    )
    response = client.post(article_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [h.title for h in search.search("plantilla", language="es")] == [
        "Editar la plantilla del correo de confirmación"
    ]
