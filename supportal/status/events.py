"""Signals of the status domain, sent inside the writing transaction."""

from django.dispatch import Signal

# update: the IncidentUpdate just added to an incident's timeline.
incident_updated = Signal()
