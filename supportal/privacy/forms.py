from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supportal.accounts.models import User


class ExportForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The whole organization"),
        label=_("Whose data"),
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ErasureForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Person to erase"))
    reason = forms.CharField(
        max_length=300,
        label=_("Reason"),
        help_text=_("The request: who asked, when, and how it was verified."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand this cannot be undone: the person's name, address, phones and "
            "subscriptions are removed for good."
        )
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
