from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from supportal.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.inclusion_tag("includes/field.html")
def form_field(
    field: BoundField | str,
    extra_class: str = "",
    wrapper_id: str = "",
    show_when: str = "",
    hide_optional: bool = False,
) -> dict[str, Any]:
    """One form field in its ``<div class="field">`` (includes/field.html): the label
    (marking an optional field unless ``hide_optional``), the widget, the help text and the
    errors; a checkbox sits inside its label. An unknown field (a template's missing
    variable, "") renders nothing."""
    if not isinstance(field, BoundField):
        return {"field": None}
    return {
        "field": field,
        "errors": field.errors,
        "checkbox": field.widget_type == "checkbox",
        "extra_class": extra_class,
        "wrapper_id": wrapper_id,
        "show_when": show_when,
        "hide_optional": hide_optional,
    }
