"""Forms for the console and portal pieces. Services do the checking; forms parse."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.forms import BoundField

from .models import Category, CustomCodeException
from .notices import LineDraft

BILLABLE_CHOICES = [(c.value, c.label) for c in Category if c != Category.SUPPORT]


class TicketActionForm(forms.Form):
    """A form on the ticket page whose service takes the ticket, the user and what the form
    gives (``arguments``). ``title`` heads its own page (where a refused form is shown
    again); ``success`` is what the ticket page says when it is done."""

    title: ClassVar[str]
    success: ClassVar[str]

    def arguments(self) -> dict[str, Any]:
        """The service's keyword arguments besides the ticket and the user."""
        return dict(self.cleaned_data)


def vendor_end_of_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(17, 0), tzinfo=ZoneInfo(settings.SUPPORTAL_VENDOR_TIME_ZONE))


class TimeEntryForm(TicketActionForm):
    title = "Log time"
    success = "Time logged."

    minutes = forms.IntegerField(min_value=1, max_value=1440, label="Minutes")
    category = forms.ChoiceField(choices=Category.choices, initial=Category.SUPPORT)
    work_date = forms.DateField(
        required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoticeForm(TicketActionForm):
    title = "Send a professional-services notice"
    success = "Notice sent: the customer decides in the portal."

    category = forms.ChoiceField(choices=BILLABLE_CHOICES, initial=Category.PS_ADMIN)
    estimate_minutes = forms.IntegerField(
        min_value=1, max_value=100_000, label="Estimate (minutes)"
    )
    rate = forms.DecimalField(
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=0,
        help_text="Leave empty for the category's rate.",
    )
    message = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, ranges: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ranges:
            self.fields["rate"].help_text = f"Leave empty for the category's rate; {ranges}."


class QuoteForm(TicketActionForm):
    """A professional-services quote: up to three line items, due date, rush price."""

    title = "Send a quote"
    success = "Quote sent."
    LINES = 3
    message = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(
        required=False,
        label="Due date",
        help_text="Empty: the 2-business-day turn-time.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    rush_fee = forms.DecimalField(required=False, max_digits=10, decimal_places=2, min_value=0)
    rush_due_on = forms.DateField(
        required=False, label="Rush due date", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, self.LINES + 1):
            self.fields[f"line{i}_description"] = forms.CharField(
                required=False, max_length=300, label=f"Line {i}"
            )
            self.fields[f"line{i}_category"] = forms.ChoiceField(
                choices=BILLABLE_CHOICES, required=False, label="Category"
            )
            self.fields[f"line{i}_minutes"] = forms.IntegerField(
                required=False, min_value=1, max_value=100_000, label="Minutes"
            )
            self.fields[f"line{i}_rate"] = forms.DecimalField(
                required=False, max_digits=8, decimal_places=2, min_value=0, label="Rate"
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
    title = "Extend free support"
    success = "Free support extended."

    minutes = forms.IntegerField(min_value=1, max_value=480, initial=15)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ExceptionForm(TicketActionForm):
    title = "Custom CSS/JS exception"
    success = "Exception recorded; the customer is being notified."

    reason = forms.ChoiceField(choices=CustomCodeException.Reason.choices)
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReleasePasswordForm(TicketActionForm):
    title = "Release the calculator password"
    success = "Password released: the customer can read it once."

    password = forms.CharField(max_length=500, widget=forms.PasswordInput(render_value=True))


class RushRequestForm(TicketActionForm):
    title = "Ask for a rush quote"
    success = "Rush quote requested: our professional-services team will send a price."

    needed_by = forms.DateField(label="Needed by", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CorrectionForm(forms.Form):
    amount = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    reason = forms.CharField(max_length=300)


class DeliveredForm(forms.Form):
    delivery = forms.IntegerField(widget=forms.HiddenInput)
