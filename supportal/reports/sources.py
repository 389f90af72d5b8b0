"""The apps reports read but cannot count on: a missing app or model means "no data"."""

from __future__ import annotations

from typing import Any

from django.apps import apps


def optional_model(app_label: str, model_name: str) -> type[Any] | None:
    """The model when its app is installed and defines it, else None. Typed loosely (Any):
    reports name models they do not import."""
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
