"""Two-factor authentication (TOTP, django-otp) for support staff.

Staff need a second factor when SUPPORTAL_STAFF_2FA_REQUIRED is on (the default unless
DEBUG), unless marked ``otp_exempt`` (the demo logins). Anyone who enrolled a device is
asked for a code too. A password alone never creates a logged-in session for them: the
login view keeps the half-done login in the session and ``accounts:two_factor`` finishes it.
"""

from __future__ import annotations

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

DEVICE_NAME = "Authenticator app"


def second_factor_required(user: User) -> bool:
    """Policy: support staff must use a second factor (unless exempt)."""
    return bool(
        user.is_staff_or_auditor and settings.SUPPORTAL_STAFF_2FA_REQUIRED and not user.otp_exempt
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def second_factor_enabled(user: User) -> bool:
    """Whether logging in (page or API token) asks this user for a one-time code."""
    return second_factor_required(user) or confirmed_device(user) is not None


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device the user is enrolling (the same one until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def verify_code(user: User, code: str) -> TOTPDevice | None:
    """The device that accepts ``code`` (a confirmed one, else the one being enrolled).

    A code is accepted once (django-otp refuses a time step already used) and wrong codes
    slow the device down (django-otp's throttling). Enrolling confirms the device."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit():
        return None
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            return None
    assert device is not None  # the confirmed device, or the one being enrolled
    if not device.verify_token(code):
        return None
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// URL as an SVG QR code, rendered here (no third party)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_for_manual_entry(device: TOTPDevice) -> str:
    """The key in base32, grouped by four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
