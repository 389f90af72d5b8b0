"""Secrets at rest: MultiFernet over the configured keys, newest first (rotation)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def get_fernet() -> MultiFernet:
    return _multifernet(tuple(settings.SUPPORTAL_FERNET_KEYS))


def encrypt(value: str) -> str:
    return get_fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return get_fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # never include the token itself in the error
        raise ValueError("encrypted value cannot be decrypted with the configured keys") from exc


class EncryptedTextField(models.TextField[str, str]):
    """A text column stored as a Fernet token; empty stays empty (nothing to hide).

    It cannot be filtered on (the ciphertext changes on every write)."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)

    def from_db_value(
        self, value: str | None, expression: object, connection: BaseDatabaseWrapper
    ) -> str | None:
        if not value:  # None or ""
            return value
        return decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value
