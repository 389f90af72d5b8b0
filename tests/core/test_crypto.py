"""Secrets at rest: Fernet tokens, key rotation, nothing readable without a key."""

import pytest
from cryptography.fernet import Fernet

from supportal.core import crypto


def test_round_trip_and_ciphertext_differs(settings):
    settings.SUPPORTAL_FERNET_KEYS = [Fernet.generate_key().decode()]
    token = crypto.encrypt("hunter2")
    assert "hunter2" not in token
    assert crypto.decrypt(token) == "hunter2"
    assert crypto.encrypt("hunter2") != token


def test_old_key_still_decrypts_after_rotation(settings):
    old = Fernet.generate_key().decode()
    settings.SUPPORTAL_FERNET_KEYS = [old]
    token = crypto.encrypt("kept")
    settings.SUPPORTAL_FERNET_KEYS = [Fernet.generate_key().decode(), old]
    assert crypto.decrypt(token) == "kept"


def test_unknown_key_fails_without_leaking_the_token(settings):
    settings.SUPPORTAL_FERNET_KEYS = [Fernet.generate_key().decode()]
    token = crypto.encrypt("secret")
    settings.SUPPORTAL_FERNET_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(ValueError) as info:
        crypto.decrypt(token)
    assert token not in str(info.value)
