"""Run with django-helpdesk's own virtualenv (bench/.helpdesk-venv), in the bench's
helpdesk project: makes a small history with helpdesk's own models, as its users would."""

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(sys.argv[1])))  # bench/helpdesk_project
os.environ["DJANGO_SETTINGS_MODULE"] = "settings"  # not the caller's (Supportal's)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from helpdesk.models import FollowUp, FollowUpAttachment, Queue, Ticket  # noqa: E402

call_command("migrate", verbosity=0)
queue = Queue.objects.create(title="Pressero", slug="pressero", allow_public_submission=True)
other = Queue.objects.create(title="Old product", slug="old-product")
agent = User.objects.create_user(
    "sam", "sam.support@vendor.test", "x", first_name="Sam", last_name="Support", is_staff=True
)
opened = datetime(2024, 2, 5, 9, 30, tzinfo=UTC)
first = Ticket.objects.create(
    title="Shipping rates wrong",
    queue=queue,
    submitter_email="Pat@PrintShop.example",
    description="Rates show zero for Canada.",
    priority=1,
    status=Ticket.OPEN_STATUS,
    assigned_to=agent,
    created=opened,
)
reply = FollowUp.objects.create(
    ticket=first,
    title="Comment",
    comment="Which carrier do you use?",
    public=True,
    user=agent,
    date=datetime(2024, 2, 5, 10, 0, tzinfo=UTC),
)
FollowUp.objects.create(
    ticket=first,
    title="Comment",
    comment="Customer seems to use an old theme.",
    public=False,
    user=agent,
    date=datetime(2024, 2, 5, 10, 5, tzinfo=UTC),
)
customer_reply = FollowUp.objects.create(
    ticket=first,
    title="Comment",
    comment="UPS. Screenshot attached.",
    public=True,
    date=datetime(2024, 2, 6, 8, 0, tzinfo=UTC),
)
attachment = FollowUpAttachment(
    followup=customer_reply, filename="rates.txt", mime_type="text/plain", size=9
)
attachment.file.save("rates.txt", ContentFile(b"rates: 0\n"), save=True)
second = Ticket.objects.create(
    title="Old product licence",
    queue=other,
    submitter_email="lee@printshop.example",
    description="Where is my licence key?",
    priority=3,
    status=Ticket.CLOSED_STATUS,
)
third = Ticket.objects.create(
    title="Invoice copy",
    queue=queue,
    submitter_email="kim@other-company.example",
    description="Please resend the March invoice.",
    priority=3,
    status=Ticket.RESOLVED_STATUS,
)
# Saving follow-ups saves their ticket; the original filing time is set last.
Ticket.objects.filter(pk=first.pk).update(created=opened)
print(first.pk, second.pk, third.pk)
