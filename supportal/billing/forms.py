"""Forms for the console and portal pieces. Services do the checking; forms parse."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.forms import BoundField
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Category, CustomCodeException
from .notices import LineDraft

BILLABLE_CHOICES = [(c.value, c.label) for c in Category if c != Category.SUPPORT]


class TicketActionForm(forms.Form):
    """A form on the ticket page whose service takes the ticket, the user and what the form
    gives (``arguments``). ``title`` heads its own page (where a refused form is shown
    again); ``success`` is what the ticket page says when it is done."""

    title: ClassVar[str | Promise]
    success: ClassVar[str | Promise]

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments besides the ticket and the user."""
        return dict(self.cleaned_data)


def vendor_end_of_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE))


class TimeEntryForm(TicketActionForm):
    title = gettext_lazy("Log time")
    success = gettext_lazy("Time logged.")

    minutes = forms.IntegerField(min_value=1, max_value=1440, label=gettext_lazy("Minutes"))
    category = forms.ChoiceField(
        choices=Category.choices, initial=Category.SUPPORT, label=gettext_lazy("Category")
    )
    work_date = forms.DateField(
        required=False, label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoticeForm(TicketActionForm):
    title = gettext_lazy("Send a professional-services notice")
    success = gettext_lazy("Notice sent: the customer decides in the portal.")

    category = forms.ChoiceField(
        choices=BILLABLE_CHOICES, initial=Category.PS_ADMIN, label=gettext_lazy("Category")
    )
    estimate_minutes = forms.IntegerField(
        min_value=1, max_value=100_000, label=gettext_lazy("Estimate (minutes)")
    )
    rate = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        label=gettext_lazy("Rate"),
        help_text=gettext_lazy("Leave empty for the category's rate."),
    )
    message = forms.CharField(
        max_length=10_000, label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, ranges: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ranges:
            self.fields["rate"].help_text = _(
                "Leave empty for the category's rate; %(ranges)s."
            ) % {"ranges": ranges}


class QuoteForm(TicketActionForm):
    """A professional-services quote: up to three line items, due date, rush price."""

    title = gettext_lazy("Send a quote")
    success = gettext_lazy("Quote sent.")
    LINES = 3
    message = forms.CharField(
        max_length=10_000, label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        required=False,
        label=gettext_lazy("Due date"),
        help_text=gettext_lazy("Empty: the 2-business-day turn-time."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rush_fee = forms.DecimalField(
        required=False,
        max_digits=10,
        decimal_places=2,
        min_value=0,
        label=gettext_lazy("Rush fee"),
    )
    rush_due_on = forms.DateField(
        required=False,
        label=gettext_lazy("Rush due date"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.LINES + 1):
            self.fields[f"line{i}_description"] = forms.CharField(
                required=False, max_length=300, label=_("Line %(number)s") % {"number": i}
            )
            self.fields[f"line{i}_category"] = forms.ChoiceField(
                choices=BILLABLE_CHOICES, required=False, label=_("Category")
            )
            self.fields[f"line{i}_minutes"] = forms.IntegerField(
                required=False, min_value=1, max_value=100_000, label=_("Minutes")
            )
            self.fields[f"line{i}_rate"] = forms.DecimalField(
                required=False, max_digits=8, decimal_places=2, min_value=0, label=_("Rate")
            )

    def line_rows(self) -> list[list[BoundField]]:
        return [
            [self[f"line{i}_{name}"] for name in ("description", "category", "minutes", "rate")]
            for i in range(1, self.LINES + 1)
        ]

    def lines(self) -> list[LineDraft]:

        drafts: list[LineDraft] = []
        for i in range(1, self.LINES + 1):
            minutes = self.cleaned_data.get(f"line{i}_minutes")
            if not minutes:
                continue
            drafts.append(
                LineDraft(
                    category=self.cleaned_data.get(f"line{i}_category") or "",
                    minutes=minutes,
                    description=self.cleaned_data.get(f"line{i}_description") or "",
                    rate=self.cleaned_data.get(f"line{i}_rate"),
                )
            )
        return drafts


class ExtendForm(TicketActionForm):
    title = gettext_lazy("Extend free support")
    success = gettext_lazy("Free support extended.")

    minutes = forms.IntegerField(
        min_value=1, max_value=480, initial=15, label=gettext_lazy("Minutes")
    )
    reason = forms.CharField(
        max_length=2000, label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ExceptionForm(TicketActionForm):
    title = gettext_lazy("Custom CSS/JS exception")
    success = gettext_lazy("Exception recorded; the customer is being notified.")

    reason = forms.ChoiceField(
        choices=CustomCodeException.Reason.choices, label=gettext_lazy("Reason")
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReleasePasswordForm(TicketActionForm):
    title = gettext_lazy("Release the calculator password")
    success = gettext_lazy("Password released: the customer can read it once.")

    password = forms.CharField(
        max_length=500,
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(render_value=True),
    )


class RushRequestForm(TicketActionForm):
    title = gettext_lazy("Ask for a rush quote")
    success = gettext_lazy(
        "Rush quote requested: our professional-services team will send a price."
    )

    needed_by = forms.DateField(
        label=gettext_lazy("Needed by"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, label=gettext_lazy("Amount")
    )
    reason = forms.CharField(max_length=300, label=gettext_lazy("Reason"))


class DeliveredForm(forms.Form):
    delivery = forms.IntegerField(widget=forms.HiddenInput)
