"""Forms for the KB pages: shape only; the rules are in ``services``."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from supportal.accounts.models import Product, User

from . import search
from .models import Article, Category
from .services import ArticleDraft


def _product_choices(blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(p.slug, p.name) for p in Product.objects.filter(active=True).order_by("name")]
    return ([("", blank)] if blank is not None else []) + choices


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False)
    product = forms.ChoiceField(label="Product", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = _product_choices("All products")
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "Search articles, documentation and videos"}
        )

    def clean_q(self) -> str:
        """Any length is accepted (a pasted error message); a long query is cut."""
        return search.cut_query(self.cleaned_data["q"])


class ArticleForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    product = forms.ChoiceField(label="Product")
    category = forms.ModelChoiceField(
        label="Category", queryset=Category.objects.none(), required=False
    )
    tags = forms.CharField(
        label="Tags", max_length=300, required=False, help_text="Comma-separated."
    )
    body = forms.CharField(
        label="Answer",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown. Use Preview to see it as readers will.",
    )
    published = forms.BooleanField(label="Published (customers can find it)", required=False)
    note = forms.CharField(
        label="What changed", max_length=200, required=False, help_text="For the history."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = _product_choices()
        cast(
            "forms.ModelChoiceField[Any]", self.fields["category"]
        ).queryset = Category.objects.order_by("name")

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "product": article.product.slug,
            "category": article.category_id,
            "tags": article.tags,
            "body": article.body,
            "published": article.is_published,
        }

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
        )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )


class OneOnOneTrainingForm(forms.Form):
    product = forms.ChoiceField(label="Product")
    details = forms.CharField(
        label="What would you like to learn?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Areas of the system, who will attend, and times that suit you.",
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
        label="Attended",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, registrants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["attendees"]).queryset = registrants
