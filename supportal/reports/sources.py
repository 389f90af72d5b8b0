"""The apps reports read but cannot count on: a missing app or model means "no data"."""

from __future__ import annotations

from django.apps import apps
from django.db import models


def optional_model(app_label: str, model_name: str) -> type[models.Model] | None:
    """The model when its app is installed and defines it, else None."""
    try:
        return apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
