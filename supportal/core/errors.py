"""Domain errors raised by services; views turn them into form errors or messages, the API
into 403/409/422."""

from __future__ import annotations

from typing import Any


class RuleViolation(Exception):
    """A request refused by a business rule (HTTP 409 in the API)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotPermitted(Exception):
    """An action this user may not take (HTTP 403 in the API). Not the built-in
    ``PermissionError``: that is an ``OSError``, which file handling catches and raises."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(Exception):
    """Input that fails validation, field by field (HTTP 422 in the API)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def add_errors(form: Any, errors: dict[str, str]) -> None:
    """Attach a service's field errors (``InvalidInput.errors``) to the form that was
    submitted, so the page shows each beside its field; unknown fields become form errors."""
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
