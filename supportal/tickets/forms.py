"""Forms for the portal and the agent console.

Forms check the shape of input (required, lengths, choices); the business rules are in
``services`` and come back as ``InvalidInput``, which views attach to these same fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from supportal.accounts.models import Product, User
from supportal.accounts.queries import product_choices, region_choices, support_staff_choices
from supportal.core.dates import format_date
from supportal.core.errors import InvalidInput
from supportal.core.widgets import QuickSelect

from . import custom_fields
from .models import CustomField, Macro, SavedView, Ticket
from .services import ALLOWED_TRANSITIONS, TicketDraft


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files and cleans to a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _attachments_field() -> MultipleFileField:
    return MultipleFileField(
        label=_("Attachments"),
        help_text=_("Screenshots, videos, PDF, ZIP or plain text."),
    )


def _secret_input(autocomplete: str) -> forms.PasswordInput:
    # render_value=True: a form re-shown with errors keeps what was typed.
    return forms.PasswordInput(render_value=True, attrs={"autocomplete": autocomplete})


def product_choices_for(user: User) -> list[tuple[str, str]]:
    """The products a customer may file about: their organization's, or all active ones."""
    products: list[Product] = []
    if user.organization is not None:
        products = [p for p in user.organization.product_list() if p.active]
    if not products:
        products = list(Product.objects.filter(active=True))
    return [(p.slug, p.name) for p in sorted(products, key=lambda p: p.name)]


class TicketForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    kind = forms.ChoiceField(label=_("Kind of request"), choices=Ticket.Kind.choices)
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        error_messages={"required": _("Give the ticket a subject.")},
    )
    description = forms.CharField(
        label=_("Description"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What you want to achieve or what goes wrong. Markdown is supported."),
        error_messages={"required": _("Describe the question or problem.")},
    )
    site_name = forms.CharField(label=_("Site name"), max_length=200, required=False)
    site_url = forms.CharField(
        label=_("Site URL"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    admin_username = forms.CharField(
        label=_("Admin username"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    admin_password = forms.CharField(
        label=_("Admin password"), required=False, strip=False, widget=_secret_input("new-password")
    )
    site_user_username = forms.CharField(
        label=_("Site user username"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    site_user_password = forms.CharField(
        label=_("Site user password"),
        required=False,
        strip=False,
        widget=_secret_input("new-password"),
    )
    steps = forms.CharField(
        label=_("Steps to reproduce"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One step per line, from logging in to the moment you see the problem."),
    )
    urgent = forms.BooleanField(label=_("This is urgent"), required=False)
    urgent_reason = forms.ChoiceField(
        label=_("Why is it urgent?"),
        required=False,
        choices=[("", _("Choose the reason"))] + list(Ticket.UrgentReason.choices),
    )
    urgent_impact = forms.CharField(
        label=_("What is the impact?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: no orders since 8:00 on the Acme storefront; 40 jobs waiting."),
    )
    attachments = _attachments_field()

    CREDENTIAL_FIELDS = (
        "admin_username",
        "admin_password",
        "site_user_username",
        "site_user_password",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = [
            ("", _("Choose a product")),
            *product_choices_for(user),
        ]
        self.custom_fields = customer_custom_fields()
        for custom in self.custom_fields:
            self.fields[field_name(custom)] = form_field_for(custom)

    @property
    def custom_field_rows(self) -> list[forms.BoundField]:
        return [self[field_name(custom)] for custom in self.custom_fields]

    def _custom_answers(self) -> dict[str, str]:
        """The answers to the fields of the chosen product (others are ignored)."""
        if not self.custom_fields:
            return {}
        product = Product.objects.filter(slug=self.cleaned_data.get("product")).first()
        if product is None:
            return {}
        applies = {f.key for f in custom_fields.fields_for(product, staff=False)}
        return {
            f.key: self.cleaned_data.get(field_name(f)) or ""
            for f in self.custom_fields
            if f.key in applies
        }

    @property
    def credential_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.CREDENTIAL_FIELDS]

    def to_draft(self) -> TicketDraft:
        data = self.cleaned_data
        return TicketDraft(
            product=data["product"],
            kind=data["kind"],
            subject=data["subject"],
            description=data["description"],
            site_name=data["site_name"],
            site_url=data["site_url"],
            admin_username=data["admin_username"],
            admin_password=data["admin_password"],
            site_user_username=data["site_user_username"],
            site_user_password=data["site_user_password"],
            steps=data["steps"],
            urgent=data["urgent"],
            urgent_reason=data["urgent_reason"],
            urgent_impact=data["urgent_impact"],
            custom_fields=self._custom_answers(),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        if self.custom_fields and data.get("product"):
            product = Product.objects.filter(slug=data["product"]).first()
            if product is not None:
                try:
                    custom_fields.clean_values(
                        custom_fields.fields_for(product, staff=False),
                        self._custom_answers(),
                        enforce_required=True,
                    )
                except InvalidInput as exc:
                    for name, message in exc.errors.items():
                        if name in self.fields:
                            self.add_error(name, message)
        if data.get("urgent") and not data.get("urgent_reason"):
            self.add_error(
                "urgent_reason",
                gettext(
                    "Urgent is for when customers cannot place an order or you cannot produce "
                    "the job: say which."
                ),
            )
        if data.get("urgent") and not (data.get("urgent_impact") or "").strip():
            self.add_error(
                "urgent_impact",
                gettext("Describe the impact: who cannot order or what cannot be produced."),
            )
        return data

    def uploads(self) -> Sequence[UploadedFile]:
        return self.cleaned_data.get("attachments") or []


class DowngradeForm(forms.Form):
    note = forms.CharField(
        label=_("Why is this not urgent?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The customer sees this note."),
    )


class RaiseUrgencyForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is this urgent?"),
        choices=Ticket.UrgentReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What did you learn?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The customer sees this note. After hours, marking urgent pages on-call."),
    )


class EngineeringForm(forms.Form):
    """Escalate to the programming staff (``escalate=1``, with an internal note) or bring
    the ticket back (``escalate=0``)."""

    escalate = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    note = forms.CharField(
        label=_("What do the programming staff need to look at?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Internal: kept in the ticket's history."),
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown is supported."),
        error_messages={"required": _("Write a reply before sending.")},
    )
    attachments = _attachments_field()
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the customer)"), required=False
    )
    # The macro whose text the agent inserted: its actions apply when the reply is sent.
    macro = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The newest public reply on the sender's screen: a newer one makes sending warn first.
    seen_reply_id = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, can_add_notes: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_add_notes:
            del self.fields["internal"]
            del self.fields["macro"]
        elif self.data.get("macro"):
            # A macro with only actions sends no text: the body may then be empty.
            self.fields["body"].required = False

    def is_internal(self) -> bool:
        return bool(self.cleaned_data.get("internal", False))

    def uploads(self) -> Sequence[UploadedFile]:
        return self.cleaned_data.get("attachments") or []


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), widget=QuickSelect)

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": ticket.status})
        super().__init__(*args, **kwargs)
        reachable = {ticket.status, *ALLOWED_TRANSITIONS.get(ticket.status, set())}
        cast("forms.ChoiceField", self.fields["status"]).choices = [
            (value, label) for value, label in Ticket.Status.choices if value in reachable
        ]


class AssignForm(forms.Form):
    assignee_id = forms.TypedChoiceField(
        label=_("Assignee"), required=False, coerce=int, empty_value=None, widget=QuickSelect
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"assignee_id": ticket.assignee_id or ""})
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["assignee_id"]).choices = [
            ("", _("Unassigned")),
            *support_staff_choices(),
        ]


def valid_filters(form: forms.Form) -> dict[str, str]:
    """The filter values that are valid and set; an invalid one is dropped, not an error."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value}


def _optional_choice(
    label: StrOrPromise, choices: Sequence[tuple[str, StrOrPromise]], empty: StrOrPromise
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, required=False, choices=[("", empty), *choices], widget=QuickSelect
    )


class TicketListFilterForm(forms.Form):
    """GET filters of the ticket list. Invalid values are ignored, never an error page."""

    status = _optional_choice(_("Status"), list(Ticket.Status.choices), _("Any status"))
    product = forms.ChoiceField(label=_("Product"), required=False, widget=QuickSelect)
    escalated = forms.ChoiceField(
        label=_("Engineering"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), ("1", _("With our programming staff"))],
    )
    scope = forms.ChoiceField(
        label=_("Show"),
        required=False,
        widget=QuickSelect,
        choices=[("all", _("Organization tickets")), ("mine", _("My tickets"))],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = user.is_support_staff
        products = list(product_choices()) if staff else product_choices_for(user)
        cast("forms.ChoiceField", self.fields["product"]).choices = [
            ("", _("All products")),
            *products,
        ]
        if user.role != User.Role.CUSTOMER_ADMIN:
            del self.fields["scope"]


class QueueFilterForm(forms.Form):
    """GET filters of the agent queue."""

    product = forms.ChoiceField(label=_("Product"), required=False, widget=QuickSelect)
    region = forms.ChoiceField(label=_("Region"), required=False, widget=QuickSelect)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False, widget=QuickSelect)
    status = _optional_choice(
        _("Status"),
        [(s.value, s.label) for s in Ticket.OPEN_STATUSES],
        _("Any open status"),
    )
    escalated = forms.ChoiceField(
        label=_("Engineering"),
        required=False,
        widget=QuickSelect,
        choices=[("", _("Any")), ("1", _("With our programming staff"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["product"]).choices = [
            ("", _("All products")),
            *product_choices(),
        ]
        cast("forms.ChoiceField", self.fields["region"]).choices = [
            ("", _("All regions")),
            *region_choices(),
        ]
        cast("forms.ChoiceField", self.fields["assignee"]).choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *support_staff_choices(),
        ]


# --- Custom fields -------------------------------------------------------------------------


def field_name(custom: CustomField) -> str:
    return f"field_{custom.key}"


def customer_custom_fields() -> list[CustomField]:
    """Every active field a customer may answer, with its products (for the form's hints)."""
    if not custom_fields.fields_in_use.get():
        return []
    return list(
        CustomField.objects.filter(active=True, staff_only=False)
        .prefetch_related("products")
        .order_by("position", "label", "id")
    )


def form_field_for(
    custom: CustomField, *, initial: str = "", mark_required: bool = True
) -> forms.Field:
    """The form field for a custom field. Required-ness is checked per product in
    ``custom_fields.clean_values``, so the form field itself is optional."""
    products = [p.name for p in custom.products.all()]
    hint = custom.help_text
    if products:
        only = gettext("For %(products)s tickets.") % {"products": ", ".join(sorted(products))}
        hint = f"{hint} {only}".strip()
    required = mark_required and custom.required and not custom.staff_only
    label = gettext("%(label)s (required)") % {"label": custom.label} if required else custom.label
    common: dict[str, Any] = {
        "label": label,
        "required": False,
        "help_text": hint,
        "initial": initial,
    }
    if custom.kind == CustomField.Kind.CHOICE:
        options = [("", "—"), *((c, c) for c in custom.choice_list())]
        return forms.ChoiceField(choices=options, **common)
    if custom.kind == CustomField.Kind.NUMBER:
        return forms.CharField(
            max_length=50, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common
        )
    if custom.kind == CustomField.Kind.DATE:
        return forms.CharField(
            max_length=10, widget=forms.DateInput(attrs={"type": "date"}), **common
        )
    return forms.CharField(max_length=custom_fields.MAX_VALUE_LENGTH, **common)


class TicketFieldsForm(forms.Form):
    """Staff edit a ticket's custom fields on its page."""

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_fields = custom_fields.fields_for(ticket.product_id, staff=True)
        current = {f.key: v for f, v in custom_fields.values_for(ticket, staff=True)}
        for custom in self.custom_fields:
            self.fields[field_name(custom)] = form_field_for(
                custom, initial=current.get(custom.key, ""), mark_required=False
            )

    def values(self) -> dict[str, str]:
        return {f.key: self.cleaned_data.get(field_name(f)) or "" for f in self.custom_fields}


# --- Merge, split, macros --------------------------------------------------------------------


class MergeForm(forms.Form):
    target = forms.CharField(
        label=_("Merge this ticket into"),
        max_length=40,
        help_text=_(
            "The number of the ticket to keep, e.g. SUP-1042. This one is closed and "
            "its conversation moves there; both requesters are told."
        ),
        widget=forms.TextInput(attrs={"placeholder": "SUP-"}),
    )


class SplitForm(forms.Form):
    reply_id = forms.TypedChoiceField(label=_("Reply that asks another question"), coerce=int)
    subject = forms.CharField(label=_("Subject of the new ticket"), max_length=200, required=False)

    def __init__(self, *args: Any, replies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["reply_id"]).choices = [
            (
                r.pk,
                f"{r.author.get_full_name()}, "
                f"{format_date(timezone.localtime(r.created_at), 'day_time_compact')}: "
                f"{r.body[:60]}",
            )
            for r in replies
        ]


class MacroForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    body = forms.CharField(
        label=_("Reply text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=Macro._meta.get_field("body").help_text,
    )
    set_status = forms.ChoiceField(
        label=_("Then set the status"),
        required=False,
        choices=[("", _("Leave the status")), *Ticket.Status.choices],
    )
    assignee_action = forms.ChoiceField(
        label=_("And the assignee"), required=False, choices=Macro.AssigneeAction.choices
    )
    assignee = forms.TypedChoiceField(
        label=_("Colleague"), required=False, coerce=int, empty_value=None
    )
    shared = forms.BooleanField(label=_("Shared with every agent"), required=False)

    def __init__(self, *args: Any, can_share: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["assignee"]).choices = [
            ("", "—"),
            *support_staff_choices(),
        ]
        if not can_share:
            del self.fields["shared"]


class TagForm(forms.Form):
    name = forms.CharField(label=_("Tag"), max_length=50)


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("View name"), max_length=80)
    query = forms.CharField(max_length=500, widget=forms.HiddenInput)
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=SavedView.Visibility.choices,
        initial=SavedView.Visibility.PERSONAL,
    )
