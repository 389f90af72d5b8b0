"""One of everything that belongs to Acme Print, for the authorization walker.

``build_world()`` loads the demo (with its sample tickets, billing, chat, KB, news, status,
ideas and intake content) and adds what the demo lacks: an attachment and an internal
note on alice's ticket, a live chat of alice's with a shared file, an inbound mail and an
outbound notification, a KB draft, an unpublished doc page and video, an unpublished news
post, alice's API token, a deflection event of alice's, an on-call page for alice's
ticket and a read-only staff user (the auditor, created here and never in the demo)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from supportal.accounts.models import (
    ApiToken,
    Invitation,
    Product,
    TrainingSession,
    User,
    hash_token,
)
from supportal.billing.models import Notice
from supportal.chat import services as chat_services
from supportal.chat.models import Chat, ChatFile
from supportal.demo.loader import Demo, load_demo
from supportal.ideas.models import Idea
from supportal.intake.models import ContactPhone, InboundEmail, OutboundEmail, Voicemail
from supportal.kb import services as kb_services
from supportal.kb.models import Article, DeflectionEvent, DocPage, TrainingVideo
from supportal.news.models import Post
from supportal.privacy.models import DataExport
from supportal.sla.models import OnCallRotation, Page
from supportal.status.models import Incident
from supportal.tickets import services as ticket_services
from supportal.tickets.models import Attachment, Macro, Ticket
from tests.factories import make_ticket

SECRET_PASSWORD = "walker-admin-pw-7Qz!"


def png(name: str = "walker.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (10, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    demo: Demo
    auditor: User
    ticket: Ticket  # alice's, with credentials, an attachment and an internal note
    alice_token: str  # a raw API token of alice's
    # URL keyword argument -> value, by "<namespace>:<kwarg>" first, then "<kwarg>".
    kwargs: dict[str, str] = field(default_factory=dict)


def make_auditor() -> User:
    user = User(
        email="auditor@vendor.test",
        name="Ada Auditor",
        role=User.Role.AUDITOR,
        otp_exempt=True,
    )
    user.set_password("supportal-demo")
    user.save()
    return user


def build_world() -> World:
    demo = load_demo(with_tickets=True)
    auditor = make_auditor()
    acme = demo.acme
    pressero = Product.objects.get(slug="pressero")

    ticket = make_ticket(
        demo.alice,
        kind=Ticket.Kind.BUG,
        subject="Walker: the storefront is down",
        description="Nothing loads.",
        site_name="Acme Storefront",
        site_url="https://store.acmeprint.test",
        admin_username="acme-admin",
        admin_password=SECRET_PASSWORD,
        uploads=[png()],
    )
    ticket_services.add_reply(
        ticket=ticket, author=demo.agent, body="Internal: checking the logs.", internal=True
    )
    attachment = Attachment.objects.filter(ticket=ticket).first()
    assert attachment is not None
    # A second question in a reply of alice's (what staff split off), and a shared macro.
    second_question = ticket_services.add_reply(
        ticket=ticket, author=demo.alice, body="Also: how do we add a shipping zone?"
    ).reply
    macro = Macro.objects.create(name="Walker macro", body="Hello {{ customer_name }}")
    duplicate = make_ticket(demo.alice, subject="Walker duplicate", description="Same.")

    chat = Chat.objects.create(
        organization=acme, customer=demo.alice, product=pressero, subject="Walker chat"
    )
    chat_services.share_file(chat=chat, uploader=demo.alice, upload=png("chat.png"))
    chat_file = ChatFile.objects.get(chat=chat)

    notice = Notice.objects.filter(ticket__organization=acme).first()
    assert notice is not None
    # Accepted work with its turn-time target (the demo's accepted notice).
    delivery_id = (
        Notice.objects.filter(ticket__organization=acme, delivery__isnull=False)
        .values_list("delivery", flat=True)
        .first()
    )
    assert delivery_id is not None
    idea = Idea.objects.order_by("pk").first()
    assert idea is not None
    draft = Article.objects.filter(status=Article.Status.DRAFT).first()
    assert draft is not None
    published = Article.objects.filter(status=Article.Status.PUBLISHED).first()
    assert published is not None
    hidden_doc = kb_services.save_doc_page(
        page=DocPage(product=pressero, title="Walker hidden page", body="x", published=False)
    )
    hidden_video = kb_services.save_video(
        video=TrainingVideo(
            title="Walker hidden video",
            product=pressero,
            embed_url="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
            published=False,
        )
    )
    deflection = DeflectionEvent.objects.create(user=demo.alice, article=published, query="ship")
    unpublished_post = Post.objects.filter(published_at__isnull=True).first()
    assert unpublished_post is not None

    inbound = InboundEmail.objects.create(
        message_id="<walker-1@acmeprint.test>",
        source=InboundEmail.Source.WEBHOOK,
        sender=demo.alice.email,
        subject="Walker mail",
        raw=b"From: alice@acmeprint.test\r\nSubject: Walker mail\r\n\r\nHello",
        size=60,
        status=InboundEmail.Status.QUARANTINED,
    )
    outbound = OutboundEmail.objects.create(
        user=demo.alice,
        ticket=ticket,
        template="walker",
        to_address=demo.alice.email,
        subject="Walker notification",
        body_text="Hello",
        message_id="<walker-out-1@supportal.localhost>",
        status=OutboundEmail.Status.FAILED,
    )
    voicemail = Voicemail.objects.get()
    bobs_phone = ContactPhone.objects.create(user=demo.bob, number="+13125550188")  # unverified
    page = Page.objects.create(ticket=ticket, rotation=OnCallRotation.objects.get())
    raw_token = api_token_for(demo.alice)
    api_token = ApiToken.objects.get(key_hash=hash_token(raw_token))
    session = TrainingSession.objects.order_by("starts_at").last()
    assert session is not None
    statement_month = timezone.now().strftime("%Y-%m")
    incident = Incident.objects.order_by("pk").first()
    assert incident is not None
    invitation = Invitation.objects.create(
        organization=acme,
        email="invited@acmeprint.test",
        token_hash=hash_token("walker-invitation"),
        invited_by=demo.alice,
        expires_at=timezone.now() + timedelta(days=7),
    )

    export = DataExport.objects.create(organization=acme, requested_by=demo.alice)

    kwargs = {
        "ticket_id": ticket.pk,
        "attachment_id": attachment.pk,
        "accounts:token_id": api_token.pk,
        "sla:token": page.ack_token,
        "kb:slug": draft.slug,
        "kb:number": 1,
        "kb:product": hidden_doc.product.slug,
        "kb:doc:slug": hidden_doc.slug,
        "kb:video:slug": hidden_video.slug,
        "kb:article_id": draft.pk,
        "kb:event_id": deflection.pk,
        "kb:session_id": session.pk,
        "chat:chat_id": chat.pk,
        "chat:file_id": chat_file.pk,
        "billing:organization_id": acme.pk,
        "accounts:organization_id": acme.pk,
        "accounts:member_id": demo.bob.pk,
        "accounts:invitation_id": invitation.pk,
        "privacy:organization_id": acme.pk,
        "sso:slug": "acme-sso",
        "macro_id": macro.pk,
        "reply_id": second_question.pk,
        "other_ticket_id": duplicate.pk,
        "privacy:export_id": export.pk,
        "billing:period": statement_month,
        "billing:notice_id": notice.pk,
        "news:slug": unpublished_post.slug,
        "status:incident_id": incident.pk,
        "idea_id": idea.pk,
        "intake:inbound_id": inbound.pk,
        "intake:outbound_id": outbound.pk,
        "intake:voicemail_id": voicemail.pk,
        "intake:phone_id": bobs_phone.pk,
        "intake:mail_action:action": "release",
        "intake:voicemail_action:action": "assign",
        "reports:slug": "backlog",
        # The API's names for the same objects.
        "api:article_id": draft.pk,
        "api:notice_id": notice.pk,
        "api:delivery_id": delivery_id,
    }
    return World(
        demo=demo,
        auditor=auditor,
        ticket=ticket,
        alice_token=raw_token,
        kwargs={k: str(v) for k, v in kwargs.items()},
    )


def api_token_for(user: User, *, scope: str = ApiToken.Scope.WRITE) -> str:
    """A raw bearer token for ``user`` (made directly: the login throttle is tested elsewhere)."""
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(
        user=user,
        key_hash=hash_token(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=1),
    )
    return raw
