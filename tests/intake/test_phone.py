from supportal.intake.phone import normalize_phone


def test_numbers_are_normalised_to_e164_and_local_numbers_refused():
    assert normalize_phone("+1 (312) 555-0100") == "+13125550100"
    assert normalize_phone("0034 600 11 12 22") == "+34600111222"
    assert normalize_phone("312 555 0100") is None
    assert normalize_phone("") is None
