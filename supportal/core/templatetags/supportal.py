from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from supportal.core.forms_html import variable_html
from supportal.core.markdown import render_markdown

register = template.Library()
# Constants marked safe: format_html() would escape a plain str, "" too, each time.
NOTHING = SafeString()
OPTIONAL = mark_safe(' <span class="optional">optional</span>')  # noqa: S308
HAS_ERROR = mark_safe(" has-error")  # noqa: S308
CHECKBOX = mark_safe(" field--checkbox")  # noqa: S308


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return render_markdown(text)


@register.simple_tag
def form_field(
    field: BoundField | str,
    extra_class: str = "",
    wrapper_id: str = "",
    show_when: str = "",
    hide_optional: bool = False,
) -> SafeString | str:
    """One form field in its ``<div class="field">``: the label (marking an optional field
    unless ``hide_optional``), the widget, the help text and the errors; a checkbox sits
    inside its label. A tag, not an included template: a form shows a dozen fields, and an
    include costs more than the field. An unknown field (a template's missing variable, "")
    renders nothing."""
    if not isinstance(field, BoundField):
        return ""
    errors = field.errors
    checkbox = field.widget_type == "checkbox"
    parts = [
        format_html(
            '<div class="field{}{}{}"{}{}>',
            HAS_ERROR if errors else NOTHING,
            CHECKBOX if checkbox else NOTHING,
            format_html(" {}", variable_html(extra_class)) if extra_class else NOTHING,
            format_html(' id="{}"', variable_html(wrapper_id)) if wrapper_id else NOTHING,
            format_html(' data-show-when="{}"', variable_html(show_when)) if show_when else NOTHING,
        ),
        _checkbox_label(field) if checkbox else _label_and_widget(field, hide_optional),
    ]
    if field.help_text:
        parts.append(_help(field))
    if errors:  # with the id the widget's aria-describedby names
        parts.append(
            format_html(
                '<div class="field-errors"{}>{}</div>',
                format_html(' id="{}_error"', variable_html(field.auto_id))
                if field.auto_id
                else NOTHING,
                format_html_join(
                    NOTHING, '<p class="field-error">{}</p>', ((variable_html(e),) for e in errors)
                ),
            )
        )
    parts.append(mark_safe("</div>"))  # noqa: S308
    return mark_safe("\n".join(parts))  # noqa: S308 - every part built with format_html


def _checkbox_label(field: BoundField) -> SafeString:
    """A checkbox inside its label, the label's text after it."""
    return format_html(
        '<label class="checkbox" for="{}">{} <span>{}</span></label>',
        variable_html(field.id_for_label),
        variable_html(field),
        variable_html(field.label),
    )


def _label_and_widget(field: BoundField, hide_optional: bool) -> SafeString:
    """The label, marking an optional field unless ``hide_optional``, then the widget."""
    return format_html(
        '<label for="{}">{}{}</label>\n{}',
        variable_html(field.id_for_label),
        variable_html(field.label),
        OPTIONAL if not field.field.required and not hide_optional else NOTHING,
        variable_html(field),
    )


def _help(field: BoundField) -> SafeString:
    """The help text, with the id the widget's aria-describedby points to."""
    return format_html(
        '<p class="help" id="{}_helptext">{}</p>',
        variable_html(field.auto_id),
        variable_html(field.help_text),
    )
