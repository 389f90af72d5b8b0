"""Reference data read on nearly every page (the product list, regions, the support team,
the incident banner), kept in each process for a few seconds instead of being read again
on every request.

A ``Reference`` holds what its loader returned for SUPPORTAL_REFERENCE_CACHE_SECONDS; a
save or delete of one of its models in this process forgets it at once, and other
processes read the change when their copy expires. Nothing that decides who may do what
reads from here: the services check the database (an assignee is checked to be active
staff when assigned, whatever list the form showed). Values are shared between the
requests of a process, so callers must not change them (tuples, not lists).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

_references: list[Reference[Any]] = []


class Reference(Generic[T]):
    def __init__(
        self, name: str, load: Callable[[], T], *, changed_by: Iterable[type[models.Model]]
    ) -> None:
        self.name = name
        self._load = load
        self._value: tuple[float, T] | None = None
        self._lock = threading.Lock()
        for model in changed_by:
            post_save.connect(self._changed, sender=model, weak=False)
            post_delete.connect(self._changed, sender=model, weak=False)
        m2m_changed.connect(self._m2m_changed, weak=False)
        self._models = tuple(changed_by)
        _references.append(self)

    def get(self) -> T:
        held = self._value
        now = time.monotonic()
        if held is not None and held[0] > now:
            return held[1]
        with self._lock:  # one load per expiry, not one per waiting thread
            held = self._value
            if held is not None and held[0] > now:
                return held[1]
            value = self._load()
            seconds = settings.SUPPORTAL_REFERENCE_CACHE_SECONDS
            if seconds > 0:
                self._value = (time.monotonic() + seconds, value)
            return value

    def forget(self) -> None:
        self._value = None

    def _changed(self, sender: Any, **kwargs: Any) -> None:
        self.forget()

    def _m2m_changed(self, sender: Any, instance: object, **kwargs: Any) -> None:
        if isinstance(instance, self._models):
            self.forget()


def forget_all() -> None:
    """Drop every cached value (tests call it between tests: a rolled-back test must not
    leave its rows cached)."""
    for reference in _references:
        reference.forget()
