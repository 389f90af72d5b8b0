"""The demo loader adds the billing demo: billed time, a pending quote, a confirmed bug."""


def test_full_demo_loads_with_billing(db):
    from supportal.billing.models import Notice, TicketBilling, TimeEntry
    from supportal.demo.loader import load_demo

    load_demo(with_tickets=True)
    assert TimeEntry.objects.filter(billable=True).exists()
    assert Notice.objects.filter(status="pending").exists()
    assert TicketBilling.objects.filter(confirmed_bug_at__isnull=False).exists()
