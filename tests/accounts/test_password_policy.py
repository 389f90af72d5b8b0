"""Password validators: length (SUPPORTAL_PASSWORD_MIN_LENGTH), similarity, common, numeric."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "123456789012345", "password12345", "bob.buyer.acme"],
    ids=["too-short", "numeric", "common", "like-the-name"],
)
def test_weak_passwords_are_refused(demo, password):
    demo.bob.name = "Bob Buyer Acme"
    with pytest.raises(ValidationError):
        validate_password(password, user=demo.bob)


def test_a_long_unrelated_passphrase_is_accepted(demo):
    validate_password("violet tractor sings at dawn", user=demo.bob)


def test_the_minimum_length_is_a_setting(demo, settings):
    assert settings.SUPPORTAL_PASSWORD_MIN_LENGTH == 12
    with pytest.raises(ValidationError) as refused:
        validate_password("pangolin-7x", user=demo.bob)  # 11 characters
    assert "at least 12 characters" in str(refused.value)
