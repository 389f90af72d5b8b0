"""core.forms_html.FastRenderer gives what Django's widget templates give, byte for byte."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import django.forms
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates
from django.template.backends.django import DjangoTemplates as DjangoTemplatesBackend
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import strategies as st

from supportal.core.forms_html import FastRenderer
from tests.core.form_text import messages, texts

flat_choices = st.lists(st.tuples(texts, texts), max_size=4, unique_by=lambda c: c[0])
grouped_choices = st.lists(
    st.one_of(st.tuples(texts, texts), st.tuples(texts, flat_choices)), max_size=4
)
STATES = ["unbound", "initial", "bound", "empty"]
DJANGO = DjangoTemplates()
FAST = FastRenderer()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


def generated_fields(
    label: str, help_text: str, required: bool, error: str, choices: list, groups: list
) -> dict[str, forms.Field]:
    """One field per widget kind the project's forms use, and the Django widgets near them."""

    def common(**kwargs: Any) -> dict[str, Any]:
        messages = {"required": error, "invalid": error, "invalid_choice": error}
        return dict(
            label=label, help_text=help_text, required=required, error_messages=messages, **kwargs
        )

    return {
        "text": forms.CharField(max_length=20, **common()),
        "email": forms.EmailField(**common()),
        "number": forms.IntegerField(min_value=1, max_value=1440, **common()),
        "decimal": forms.DecimalField(max_digits=6, decimal_places=2, **common()),
        "url": forms.CharField(**common(widget=forms.URLInput(attrs={"placeholder": "https://"}))),
        "password": forms.CharField(**common(widget=forms.PasswordInput(render_value=True))),
        "password_hidden": forms.CharField(**common(widget=forms.PasswordInput())),
        "date": forms.DateField(**common(widget=forms.DateInput(attrs={"type": "date"}))),
        "datetime": forms.DateTimeField(
            **common(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
        ),
        "hidden": forms.CharField(**common(widget=forms.HiddenInput)),
        "textarea": forms.CharField(
            strip=False, **common(widget=forms.Textarea(attrs={"rows": 3}))
        ),
        "checkbox": forms.BooleanField(**common()),
        "select": forms.ChoiceField(choices=choices, **common()),
        "select_groups": forms.ChoiceField(choices=groups, **common()),
        "select_multiple": forms.MultipleChoiceField(choices=groups, **common()),
        "checkboxes": forms.MultipleChoiceField(
            choices=groups, **common(widget=forms.CheckboxSelectMultiple)
        ),
        "checkboxes_with_class": forms.MultipleChoiceField(
            choices=choices,
            **common(widget=forms.CheckboxSelectMultiple(attrs={"class": label})),
        ),
        "radio": forms.ChoiceField(choices=groups, **common(widget=forms.RadioSelect)),
        "file": forms.FileField(**common()),
        "files": forms.FileField(**common(widget=MultipleFileInput)),
        "disabled": forms.CharField(disabled=True, **common()),
        "attrs": forms.CharField(
            **common(widget=forms.TextInput(attrs={"data-x": label, "autofocus": True}))
        ),
    }


def form_data(value: str, choices: list, state: str) -> dict[str, Any] | None:
    """What a form is given in each state: nothing, initial values, posted values, or an
    empty post (errors on every required field)."""
    if state in ("unbound", "empty"):
        return {}
    chosen = choices[0][0] if choices else value
    return {
        **dict.fromkeys(["text", "email", "number", "decimal", "url", "password"], value),
        **dict.fromkeys(["password_hidden", "date", "datetime", "hidden", "attrs"], value),
        "textarea": "\n" + value,
        "checkbox": value,
        "select": chosen,
        "select_groups": value,
        "select_multiple": [chosen, value],
        "checkboxes": [value, chosen],
        "checkboxes_with_class": [chosen],
        "radio": chosen,
        "disabled": value,
    }


def make_form(fields: dict[str, forms.Field], values: dict | None, state: str, **kwargs: Any):
    form_class = type("GeneratedForm", (forms.Form,), dict(fields))
    if state in ("bound", "empty"):
        return form_class(values, **kwargs)
    return form_class(initial=values, **kwargs)


@given(
    label=texts,
    help_text=texts,
    required=st.booleans(),
    error=messages,
    value=texts,
    choices=flat_choices,
    groups=grouped_choices,
    state=st.sampled_from(STATES),
    auto_id=st.sampled_from(["id_%s", False]),
)
def test_every_widget_renders_as_djangos_templates_render_it(
    label, help_text, required, error, value, choices, groups, state, auto_id
):
    """Unbound, with initial values, posted, and posted empty (with errors): each widget's
    HTML equals the templates' exactly, labels, values and option text escaped the same."""
    fields = generated_fields(label, help_text, required, error, choices, groups)
    values = form_data(value, choices, state)
    fast = make_form(fields, values, state, renderer=FAST, auto_id=auto_id)
    slow = make_form(fields, values, state, renderer=DJANGO, auto_id=auto_id)
    for name in fields:
        assert str(fast[name]) == str(slow[name]), name


@given(
    value=st.one_of(
        st.integers(), st.decimals(allow_nan=False, allow_infinity=False), texts.map(mark_safe)
    )
)
def test_values_that_are_not_plain_text_render_as_djangos_templates_render_them(value):
    """Numbers, decimals and safe strings as values, attributes and labels."""
    attrs = {"data-value": value, "min": value}
    fields = {
        "text": forms.CharField(widget=forms.TextInput(attrs=attrs)),
        "select": forms.ChoiceField(choices=[(value, value), ("", value)]),
        "checkboxes": forms.MultipleChoiceField(
            choices=[(value, value)], widget=forms.CheckboxSelectMultiple
        ),
    }
    for state in ("initial", "bound"):
        values = {"text": value, "select": value, "checkboxes": [value]}
        fast = make_form(fields, values, state, renderer=FAST)
        slow = make_form(fields, values, state, renderer=DJANGO)
        for name in fields:
            assert str(fast[name]) == str(slow[name]), name


def test_templates_it_does_not_build_render_through_djangos_templates():
    """Multi-widgets, a file input showing its current file, the form and its errors."""

    class CurrentFile(SimpleUploadedFile):
        url = "/media/report.pdf?a=1&b=<2>"

    class Form(forms.Form):
        when = forms.SplitDateTimeField()
        day = forms.DateField(widget=forms.SelectDateWidget(years=[2026]))
        tags = forms.MultipleChoiceField(
            choices=[("a", "A")], widget=forms.MultipleHiddenInput, required=False
        )
        report = forms.FileField(required=False)

    initial = {"report": CurrentFile("report <1>.pdf", b"x"), "tags": ["a"], "day": "2026-01-02"}
    posted = {"when_0": "x", "day_year": "2026"}
    assert (
        Form(initial=initial, renderer=FAST).render()
        == Form(initial=initial, renderer=DJANGO).render()
    )
    assert Form(posted, renderer=FAST).render() == Form(posted, renderer=DJANGO).render()
    assert "Currently" in str(Form(initial=initial, renderer=FAST)["report"])


def test_an_app_overriding_a_widget_template_is_honoured(tmp_path):
    override = tmp_path / "django" / "forms" / "widgets" / "input.html"
    override.parent.mkdir(parents=True)
    override.write_text("<input data-overridden>")

    class Overridden(FastRenderer):
        @cached_property
        def engine(self):
            django_templates = Path(django.forms.__file__).parent / "templates"
            return DjangoTemplatesBackend(
                {
                    "APP_DIRS": False,
                    "DIRS": [tmp_path, django_templates],
                    "NAME": "t",
                    "OPTIONS": {},
                }
            )

    form = forms.Form(renderer=Overridden())
    form.fields["name"] = forms.CharField()
    assert str(form["name"]) == "<input data-overridden>"


def test_the_project_renders_forms_with_the_fast_renderer():
    """No installed app overrides a widget template, so the fast path is the one taken."""
    form = forms.Form()
    form.fields["amount"] = forms.DecimalField(initial=Decimal("1.50"))
    assert isinstance(form.renderer, FastRenderer)
    assert not form.renderer.templates_overridden
    assert str(form["amount"]) == (
        '<input type="number" name="amount" value="1.50" step="any" required id="id_amount">'
    )
