"""Form widgets that render in Python where Django's templates cost too much."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")  # noqa: S308 - a constant


class QuickSelect(forms.Select):
    """A single ``<select>`` built in Python. Django renders each option through a template
    include, which on the queue and the ticket page (a select holding the whole team) cost
    more than the rest of the page. Flat choices only; labels and values are escaped."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        chosen = next(iter(self.format_value(value)), "")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(option), SELECTED if str(option) == chosen else "", label)
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)
