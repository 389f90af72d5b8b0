from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import Product, User


class StartChatForm(forms.Form):
    product = forms.ModelChoiceField(
        queryset=Product.objects.none(), to_field_name="slug", empty_label=None
    )
    question = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("A quick question: chat is for answers within 15 minutes."),
    )

    def __init__(self, *args: Any, products: list[Product], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Any]", self.fields["product"]
        ).queryset = Product.objects.filter(pk__in=[p.pk for p in products])


class TransferForm(forms.Form):
    to_agent = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Transfer to"))

    def __init__(self, *args: Any, agents: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["to_agent"]).queryset = agents


class AvailabilityForm(forms.Form):
    available = forms.BooleanField(required=False)


class ExtendForm(forms.Form):
    reason = forms.CharField(max_length=500, strip=True)
