"""The form_field tag (includes/field.html through an inclusion tag) gives what the field
include of the templates gave before the tag, plus the id of the errors that the widget's
aria-describedby names."""

from __future__ import annotations

from django import forms
from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.form_text import messages, texts

# includes/field.html as it was when the tag replaced it, with its errors in an element that
# has the id Django 5.2 widgets name in aria-describedby: the reference the tag must match.
FIELD_TEMPLATE = """\
{# One form field: label, widget, help and errors. `field` is a BoundField. #}
<div class="field{% if field.errors %} has-error{% endif %}{% if field.widget_type == 'checkbox' %} field--checkbox{% endif %}{% if extra_class %} {{ extra_class }}{% endif %}"{% if wrapper_id %} id="{{ wrapper_id }}"{% endif %}{% if show_when %} data-show-when="{{ show_when }}"{% endif %}>
  {% if field.widget_type == 'checkbox' %}
    <label class="checkbox" for="{{ field.id_for_label }}">{{ field }} <span>{{ field.label }}</span></label>
  {% else %}
    <label for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required and not hide_optional %} <span class="optional">optional</span>{% endif %}</label>
    {{ field }}
  {% endif %}
  {% if field.help_text %}<p class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</p>{% endif %}
  {% if field.errors %}<div class="field-errors"{% if field.auto_id %} id="{{ field.auto_id }}_error"{% endif %}>{% for error in field.errors %}<p class="field-error">{{ error }}</p>{% endfor %}</div>{% endif %}
</div>
"""  # noqa: E501
OPTIONS = ["extra_class", "wrapper_id", "show_when", "hide_optional"]
options = st.fixed_dictionaries(
    {},
    optional={
        "extra_class": texts,
        "wrapper_id": texts,
        "show_when": texts,
        "hide_optional": st.booleans(),
    },
)


def normalised(html: str) -> str:
    """The HTML with every run of whitespace made one space: the tag places its newlines
    where the template had indentation."""
    return " ".join(html.split())


def render_both(field: forms.BoundField, **kwargs: object) -> tuple[str, str]:
    """The field through the old include and through the tag, given the same options."""
    django = engines["django"]
    context = {"field": field, **kwargs}
    tag_kwargs = "".join(f" {name}={name}" for name in kwargs)
    tag = django.from_string("{% load supportal %}{% form_field field" + tag_kwargs + " %}")
    return tag.render(context), django.from_string(FIELD_TEMPLATE).render(context)


def generated_form(label: str, help_text: str, required: bool, error: str) -> type[forms.Form]:
    common = {
        "label": label,
        "help_text": help_text,
        "required": required,
        "error_messages": {"required": error, "invalid": error, "invalid_choice": error},
    }
    return type(
        "GeneratedForm",
        (forms.Form,),
        {
            "text": forms.CharField(max_length=5, **common),
            "number": forms.IntegerField(**common),
            "notes": forms.CharField(widget=forms.Textarea, **common),
            "urgent": forms.BooleanField(**common),
            "product": forms.ChoiceField(choices=[("", "Choose"), ("a", label)], **common),
            "parts": forms.MultipleChoiceField(
                choices=[("a", label)], widget=forms.CheckboxSelectMultiple, **common
            ),
            "files": forms.FileField(**common),
        },
    )


@settings(deadline=None)  # seven fields through Django's widget templates, on a shared machine
@given(
    label=texts,
    help_text=texts,
    required=st.booleans(),
    error=messages,
    value=texts,
    bound=st.booleans(),
    auto_id=st.sampled_from(["id_%s", False]),
    kwargs=options,
)
def test_form_field_renders_what_the_include_rendered(
    label, help_text, required, error, value, bound, auto_id, kwargs
):
    """Unbound and posted (with errors when required and empty, or when invalid), with and
    without each option: the same elements, attributes and escaping."""
    form_class = generated_form(label, help_text, required, error)
    data = dict.fromkeys(["text", "number", "notes", "urgent", "product"], value)
    form = form_class(data if bound else None, auto_id=auto_id)
    for name in form.fields:
        tag, include = render_both(form[name], **kwargs)
        assert normalised(tag) == normalised(include), name


def test_form_field_keeps_text_whitespace_where_the_include_had_it():
    """Whitespace inside the label (between the checkbox and its text, before "optional")
    is kept, not only collapsed, and errors follow each other without any."""
    form = generated_form("Label", "", False, "Bad")({"number": "x"})
    tag, _ = render_both(form["urgent"])
    assert '<input type="checkbox" name="urgent" id="id_urgent"> <span>Label</span>' in tag
    tag, _ = render_both(form["number"])
    assert '<label for="id_number">Label <span class="optional">optional</span></label>' in tag
    assert (
        '<div class="field-errors" id="id_number_error"><p class="field-error">Bad</p></div>' in tag
    )


def test_a_field_with_errors_names_them_for_screen_readers():
    form = generated_form("Label", "", True, "Bad")({"number": "x"})
    tag, _ = render_both(form["number"])
    assert 'aria-describedby="id_number_error"' in tag and 'id="id_number_error"' in tag


def test_form_field_of_a_missing_field_renders_nothing():
    django = engines["django"]
    html = django.from_string("{% load supportal %}{% form_field form.nothing %}").render({})
    assert html == ""
