"""Demo data for intake: phone numbers of the demo customers and a voicemail to triage."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import ContactPhone, Voicemail

if TYPE_CHECKING:
    from supportal.demo.loader import Demo


def load_intake_demo(demo: Demo, *, with_content: bool = True) -> None:
    """Idempotent. Without content (the test personas) nothing is added."""
    if not with_content:
        return
    for user, number in ((demo.alice, "+13125550100"), (demo.bob, "+13125550101")):
        ContactPhone.objects.get_or_create(
            user=user,
            number=number,
            defaults={"verified_at": timezone.now(), "verified_by": demo.agent},
        )
    Voicemail.objects.get_or_create(
        recording_sid="REdemo0000000000000000000000000001",
        defaults={
            "call_sid": "CAdemo0000000000000000000000000001",
            "from_number": "+34961234567",
            "to_number": "+18005712138",
            "duration_seconds": 38,
            "transcription": "Hola, soy de una imprenta en Valencia; nuestro sitio no carga "
            "desde esta mañana. Llámenme, por favor.",
            "called_at": timezone.now() - timedelta(hours=3),
            "status": Voicemail.Status.TRIAGE,
        },
    )
