"""The report's GET filters and the dashboard's span. Invalid values are shown as field
errors and left out of the filter; the rest of the report still runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from supportal.accounts.models import Product, User
from supportal.tickets.models import Ticket

from .queries import DEFAULT_SORT, SORTS, ReportFilters, requester_choices


def _choice(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]], empty: StrOrPromise
) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", empty), *choices])


class ReportFilterForm(forms.Form):
    text = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = _choice(_("Status"), list(Ticket.Status.choices), _("Any status"))
    product = forms.ChoiceField(label=_("Product"), required=False)
    kind = _choice(_("Kind"), list(Ticket.Kind.choices), _("Any kind"))
    urgent = _choice(_("Urgent"), [("yes", _("Urgent only")), ("no", _("Not urgent"))], _("Any"))
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    requester = forms.TypedChoiceField(label=_("Requester"), required=False, coerce=int)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _order) in SORTS.items()],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = [("", _("All products"))] + [
            (p.slug, p.name) for p in Product.objects.order_by("name")
        ]
        people = requester_choices(user)
        if people:
            cast("forms.ChoiceField", self.fields["requester"]).choices = [("", _("Anyone"))] + [
                (str(pk), name) for pk, name in people
            ]
        else:
            del self.fields["requester"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", gettext("Pick a date on or after the start date."))
        return data

    def filters(self) -> ReportFilters:
        """The valid filters (an invalid field is dropped, not the whole report)."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        urgent = {"yes": True, "no": False}.get(data.get("urgent") or "")
        return ReportFilters(
            status=data.get("status") or None,
            product=data.get("product") or None,
            kind=data.get("kind") or None,
            received_from=data.get("received_from"),
            received_to=data.get("received_to") if "received_to" not in self.errors else None,
            requester=data.get("requester") or None,
            urgent=urgent,
            text=data.get("text") or "",
            sort=data.get("sort") or DEFAULT_SORT,
        )


WEEK_CHOICES: list[tuple[int, StrOrPromise]] = [
    (4, _("4 weeks")),
    (12, _("12 weeks")),
    (26, _("26 weeks")),
    (52, _("52 weeks")),
]


class DashboardForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Show"), required=False, coerce=int, choices=[(str(n), t) for n, t in WEEK_CHOICES]
    )

    def span(self) -> int:
        if self.is_valid() and self.cleaned_data.get("weeks"):
            weeks: int = self.cleaned_data["weeks"]
            return weeks
        return settings.SUPPORTAL_REPORTS_WEEKS
