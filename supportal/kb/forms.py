"""Forms for the KB pages: shape only; the rules are in ``services``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product, User

from . import search
from .models import Article, Category
from .services import ArticleDraft, TranslationDraft


def _product_choices(blank: StrOrPromise | None = None) -> list[tuple[str, str]]:
    # blank may be a lazy translation: str() it when the form is built (request time)
    choices = [(p.slug, p.name) for p in Product.objects.filter(active=True).order_by("name")]
    return ([("", str(blank))] if blank is not None else []) + choices


def translation_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages other than the site's own: an article may have a
    version in each."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


StrOrPromise = str | Promise


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = _product_choices(
            _("All products")
        )
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Search articles, documentation and videos")}
        )

    def clean_q(self) -> str:
        """Any length is accepted (a pasted error message); a long query is cut."""
        return search.cut_query(self.cleaned_data["q"])


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    product = forms.ChoiceField(label=_("Product"))
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Comma-separated.")
    )
    body = forms.CharField(
        label=_("Answer"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Use Preview to see it as readers will."),
    )
    published = forms.BooleanField(label=_("Published (customers can find it)"), required=False)
    note = forms.CharField(
        label=_("What changed"), max_length=200, required=False, help_text=_("For the history.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = _product_choices()
        cast(
            "forms.ModelChoiceField[Any]", self.fields["category"]
        ).queryset = Category.objects.order_by("name")
        # A title and an answer per other language (title_es, body_es, ...): optional.
        for code, name in translation_languages():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Answer in %(language)s") % {"language": name},
                strip=False,
                required=False,
                widget=forms.Textarea(attrs={"rows": 12}),
                help_text=_(
                    "Readers who use this language see this version. Leave both empty "
                    "to show them the article above."
                ),
            )

    def translation_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(title, body) bound fields per other language, for the template."""
        return [
            (self[f"title_{code}"], self[f"body_{code}"]) for code, _n in translation_languages()
        ]

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        initial = {
            "title": article.title,
            "product": article.product.slug,
            "category": article.category_id,
            "tags": article.tags,
            "body": article.body,
            "published": article.is_published,
        }
        for version in article.translations.all():
            initial[f"title_{version.language}"] = version.title
            initial[f"body_{version.language}"] = version.body
        return initial

    def to_draft(self) -> ArticleDraft:
        data = self.cleaned_data
        category = data.get("category")
        return ArticleDraft(
            title=data["title"],
            body=data["body"],
            product=data["product"],
            published=data.get("published", False),
            tags=data.get("tags", ""),
            category_id=category.pk if category else None,
            note=data.get("note", ""),
            translations=tuple(
                TranslationDraft(
                    language=code,
                    title=data.get(f"title_{code}", ""),
                    body=data.get(f"body_{code}", ""),
                )
                for code, _n in translation_languages()
            ),
        )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes"
    )


class OneOnOneTrainingForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    details = forms.CharField(
        label=_("What would you like to learn?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Areas of the system, who will attend, and times that suit you."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = Product.objects.filter(active=True)
        if user.organization is not None and user.organization.products.exists():
            products = products.filter(organizations=user.organization_id)
        cast("forms.ChoiceField", self.fields["product"]).choices = [
            (p.slug, p.name) for p in products.order_by("name")
        ]


class AttendanceForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attended"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, registrants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["attendees"]).queryset = registrants
