"""Signals of the ideas domain, sent inside the writing transaction."""

from django.dispatch import Signal

# change: the ideas.StatusChange just recorded.
idea_status_changed = Signal()
