"""Form widgets rendered in Python, with the HTML of Django's own widget templates.

Django renders every widget through a template that includes ``input.html`` and
``attrs.html``, and a select or a list of checkboxes includes one more template per option;
on a page with a dozen fields that costs more than the rest of the form. ``FastRenderer``
builds the same HTML, byte for byte, from the same context those templates read. Every
other template (forms, fields, labels, error lists, multi-widgets, a file input showing its
current file) goes to Django's templates, as does everything if an app overrides one of the
widget templates built here.

Escaping: the builders put the HTML together with f-strings in which every value from the
context has gone through ``variable_html`` or ``stringformat_html``, as every ``{{ }}`` of
the templates escapes; ``FastRenderer.render`` marks the whole safe once (``format_html``
around every attribute and option made the widgets take twice as long).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape as escape_html
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # private

Widget = dict[str, Any]  # the "widget" entry of a widget template's context
WIDGETS = "django/forms/widgets/"
SELECT_OPTION = WIDGETS + "select_option.html"
INPUT_OPTIONS = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}
# Templates that are only ``{% include "django/forms/widgets/input.html" %}``.
INPUT_TEMPLATES = [
    WIDGETS + f"{kind}.html"
    for kind in (
        *("text", "number", "email", "url", "password", "hidden", "search", "tel", "color"),
        *("date", "datetime", "time", "checkbox", "file"),
    )
]


def _escaped(text: str) -> SafeString:
    """What conditional_escape() gives for a str. Django's escape() goes through a wrapper
    for lazy strings that costs more than the escaping, and a widget escapes a dozen texts."""
    if hasattr(text, "__html__"):
        escaped: SafeString = text.__html__()
        return escaped
    return SafeString(escape_html(text))


def variable_html(value: object) -> SafeString:
    """What ``{{ value }}`` renders: the value localised as a template variable is, then
    escaped unless it is safe."""
    if not isinstance(value, str):
        value = str(localize(template_localtime(value)))
    return _escaped(value)


def stringformat_html(value: object) -> SafeString:
    """What ``{{ value|stringformat:'s' }}`` renders (``str(value)``, escaped unless the
    value is safe)."""
    if type(value) is str:  # the filter gives it back as it is
        return _escaped(value)
    if isinstance(value, SafeData):
        return mark_safe(stringformat(value, "s"))  # noqa: S308 - the filter keeps safe input safe
    return _escaped(stringformat(value, "s"))


def attrs_html(attrs: dict[str, Any]) -> str:
    """attrs.html: `` name="value"`` per attribute, a bare `` name`` for True, nothing for
    False."""
    return "".join(
        f" {variable_html(name)}"
        if value is True
        else f' {variable_html(name)}="{stringformat_html(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: Widget) -> str:
    """input.html (text, email, number, url, password, hidden, date, checkbox...); the value
    attribute is left out when the value is None."""
    value = widget["value"]
    has_value = value != None  # noqa: E711 - the template's `!= None`, not an identity test
    value_attr = f' value="{stringformat_html(value)}"' if has_value else ""
    return (
        f'<input type="{variable_html(widget["type"])}" name="{variable_html(widget["name"])}"'
        f"{value_attr}{attrs_html(widget['attrs'])}>"
    )


def textarea_html(widget: Widget) -> str:
    """textarea.html: the newline after the opening tag keeps a value's own leading newline
    (browsers drop the first one)."""
    value = variable_html(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{variable_html(widget["name"])}"{attrs_html(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def select_html(widget: Widget) -> str | None:
    """select.html, options and option groups; None if an option has another template."""
    if any(option["template_name"] != SELECT_OPTION for option in _options(widget)):
        return None
    groups = "".join(_select_group(name, options) for name, options, _ in widget["optgroups"])
    return (
        f'<select name="{variable_html(widget["name"])}"{attrs_html(widget["attrs"])}>'
        f"{groups}\n</select>"
    )


def _select_group(name: object, options: Iterable[Widget]) -> str:
    """One entry of a select's optgroups: an ``<optgroup>`` if it is named, else its one
    option."""
    html = "".join(f"\n  {_select_option(option)}\n" for option in options)
    if not name:
        return html
    return f'\n  <optgroup label="{variable_html(name)}">{html}\n  </optgroup>'


def _select_option(option: Widget) -> str:
    """select_option.html."""
    return (
        f'<option value="{stringformat_html(option["value"])}"{attrs_html(option["attrs"])}>'
        f"{variable_html(option['label'])}</option>"
    )


def multiple_input_html(widget: Widget) -> str | None:
    """multiple_input.html, as CheckboxSelectMultiple and RadioSelect use it: a ``<div>`` per
    option; None if an option has another template."""
    if any(option["template_name"] not in INPUT_OPTIONS for option in _options(widget)):
        return None
    attrs = widget["attrs"]
    id_attr = f' id="{variable_html(attrs["id"])}"' if attrs.get("id") else ""
    class_attr = f' class="{variable_html(attrs["class"])}"' if attrs.get("class") else ""
    groups = "".join(_input_group(name, options) for name, options, _ in widget["optgroups"])
    return f"<div{id_attr}{class_attr}>{groups}\n</div>"


def _input_group(name: object, options: Iterable[Widget]) -> str:
    """One entry of the optgroups of a list of checkboxes or radio buttons."""
    html = "".join(f"<div>\n    {_input_option(option)}</div>" for option in options)
    if not name:
        return html
    return f"\n  <div><label>{variable_html(name)}</label>{html}\n  </div>"


def _input_option(option: Widget) -> str:
    """checkbox_option.html and radio_option.html: the input inside its label, with the
    newlines the included templates end with."""
    if not option["wrap_label"]:
        return f"{input_html(option)}\n\n\n"
    option_id = option["attrs"].get("id")
    for_attr = f' for="{variable_html(option_id)}"' if option_id else ""
    return f"<label{for_attr}>{input_html(option)}\n {variable_html(option['label'])}</label>\n\n"


def clearable_file_input_html(widget: Widget) -> str | None:
    """clearable_file_input.html for an input without a current file (None when there is
    one: the link and the clear checkbox stay with the template)."""
    if widget["is_initial"]:
        return None
    return (
        f'<input type="{variable_html(widget["type"])}" name="{variable_html(widget["name"])}"'
        f"{attrs_html(widget['attrs'])}>"
    )


def _options(widget: Widget) -> Iterable[Widget]:
    return (option for _, options, _ in widget["optgroups"] for option in options)


BUILDERS: dict[str, Callable[[Widget], str | None]] = {
    **dict.fromkeys(INPUT_TEMPLATES, input_html),
    WIDGETS + "textarea.html": textarea_html,
    WIDGETS + "select.html": select_html,
    WIDGETS + "checkbox_select.html": multiple_input_html,
    WIDGETS + "radio.html": multiple_input_html,
    WIDGETS + "clearable_file_input.html": clearable_file_input_html,
}
# Every template whose HTML is built here, the included ones too.
BUILT_TEMPLATES = [
    *BUILDERS,
    SELECT_OPTION,
    *INPUT_OPTIONS,
    WIDGETS + "input.html",
    WIDGETS + "input_option.html",
    WIDGETS + "attrs.html",
    WIDGETS + "multiple_input.html",
]


class FastRenderer(DjangoTemplates):
    """Django's default form renderer, with the widget templates built in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        """The HTML Django's template would give (stripped, as the base renderer strips it);
        the template itself for any template not built here."""
        build = BUILDERS.get(template_name)
        if build is not None and not self.templates_overridden:
            html = build(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value in it went through an *_html()
        return super().render(template_name, context, request)

    @cached_property
    def templates_overridden(self) -> bool:
        """Whether an installed app overrides a widget template built here: then every
        widget is rendered by the templates, so the override shows."""
        django_templates = Path(django.forms.__file__).parent / "templates"
        return any(
            not Path(self.get_template(name).origin.name).is_relative_to(django_templates)
            for name in BUILT_TEMPLATES
        )
