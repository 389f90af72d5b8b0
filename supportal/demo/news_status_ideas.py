"""Demo content for the news, status and ideas apps, in one call from the loader. It lives
in the demo app, not in one of those three, because none of them imports another."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from supportal.accounts.models import Product
from supportal.ideas import services as idea_services
from supportal.ideas.models import Idea
from supportal.news import services as news_services
from supportal.news.models import Post, PostTranslation
from supportal.status import reference as status_reference
from supportal.status import services as status_services
from supportal.status.models import Component, ComponentStatus, Incident
from supportal.tickets.models import Ticket

if TYPE_CHECKING:
    from supportal.demo.loader import Demo


def load_news_status_ideas_demo(demo: Demo, *, with_content: bool = True) -> None:
    """Status components always (reference rows); posts, incidents and ideas once."""
    status_reference.seed_current()
    if not with_content:
        return
    if not Post.objects.exists():
        _news(demo)
    if not Incident.objects.exists():
        _status(demo)
    if not Idea.objects.exists():
        _ideas(demo)


def _news(demo: Demo) -> None:
    now = timezone.now()
    products = {p.slug: p for p in Product.objects.all()}
    posts: list[dict[str, Any]] = [
        dict(
            title="Pressero API: orders now carry the shipping method",
            kind=Post.Kind.NEWS,
            product=products["pressero"],
            api_change=True,
            tags="api, orders",
            summary="GET /orders/{id} gains a shipping_method object in the next release.",
            body=(
                "From release **2026.3**, `GET /api/v2/orders/{id}` returns a "
                "`shipping_method` object:\n\n```json\n"
                '{"shipping_method": {"code": "next_day", "name": "Next day"}}\n```\n\n'
                "The old `shipping` string stays until the release after; switch before then."
            ),
            at=now - timedelta(days=3),
        ),
        dict(
            title="eDocBuilder 5.4: faster previews and font fallbacks",
            kind=Post.Kind.NEWS,
            product=products["edocbuilder"],
            tags="release",
            summary="Previews render twice as fast; missing fonts fall back visibly.",
            body="eDocBuilder 5.4 is out. Previews render about twice as fast, and a template "
            "whose font is missing now shows a warning instead of silently using Arial.",
            at=now - timedelta(days=10),
        ),
        dict(
            title="Five tips for a storefront that sells on day one",
            kind=Post.Kind.BLOG,
            tags="tips, storefront",
            summary="Shipping, taxes, proofs, emails and a test order: what to check first.",
            body="1. Set up **shipping** before products.\n2. Check tax rules per region.\n"
            "3. Turn on PDF proofs.\n4. Edit the order confirmation email.\n"
            "5. Place a test order end to end.",
            at=now - timedelta(days=6),
        ),
    ]
    for fields in sorted(posts, key=lambda f: f["at"]):
        at = fields.pop("at")
        news_services.create_post(author=demo.manager, publish_at=at, **fields)
        news_services.publish_due_posts(now=at)
    Post.objects.filter(api_change=True).update(api_announced_at=now)
    PostTranslation.objects.create(
        post=Post.objects.get(title="eDocBuilder 5.4: faster previews and font fallbacks"),
        language="es",
        title="eDocBuilder 5.4: vistas previas más rápidas y fuentes alternativas",
        summary="Las vistas previas se generan el doble de rápido; las fuentes que faltan "
        "se sustituyen de forma visible.",
        body="Ya está disponible eDocBuilder 5.4. Las vistas previas se generan "
        "aproximadamente el doble de rápido, y una plantilla cuya fuente falta muestra ahora "
        "un aviso en lugar de usar Arial sin decir nada.",
    )
    news_services.create_post(
        author=demo.manager,
        title="Webinar: tFlow automation in practice",
        kind=Post.Kind.BLOG,
        product=products["tflow"],
        body="Join us for a one-hour webinar on tFlow automation.",
        publish_at=now + timedelta(days=2),
    )


def _status(demo: Demo) -> None:
    now = timezone.now()
    components = {c.slug: c for c in Component.objects.all()}
    Component.objects.update(created_at=now - timedelta(days=120))
    api = components["api"]
    start = now - timedelta(days=40, hours=3)
    status_services.set_component_status(component=api, status=ComponentStatus.DEGRADED, at=start)
    status_services.set_component_status(
        component=api, status=ComponentStatus.OPERATIONAL, at=start + timedelta(hours=2)
    )
    began = now - timedelta(days=5, hours=2)
    update = status_services.open_incident(
        name="Pressero checkout errors",
        body="Some storefronts show an error at the payment step. We are investigating.",
        author=demo.agent,
        impact=Incident.Impact.MAJOR,
        component_statuses={components["pressero"]: ComponentStatus.PARTIAL_OUTAGE},
        at=began,
    )
    incident = update.incident
    status_services.post_update(
        incident=incident,
        status=Incident.Status.IDENTIFIED,
        body="A payment gateway certificate expired; it is being renewed.",
        author=demo.agent,
        at=began + timedelta(minutes=40),
    )
    status_services.post_update(
        incident=incident,
        status=Incident.Status.RESOLVED,
        body="The certificate is renewed and checkouts succeed again.",
        author=demo.agent,
        at=began + timedelta(hours=1, minutes=25),
    )
    starts = (now + timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
    status_services.schedule_maintenance(
        name="PJM and tFlow database upgrade",
        body="PJM and tFlow will be read-only while their database is upgraded.",
        author=demo.agent,
        components=[components["pjm"], components["tflow"]],
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )


def _ideas(demo: Demo) -> None:
    products = {p.slug: p for p in Product.objects.all()}
    proofs = idea_services.create_idea(
        actor=demo.agent,
        title="Bleed marks on PDF proofs",
        description="Show trim and bleed marks on the PDF proofs customers approve.",
        product=products["edocbuilder"],
    )
    reorder = idea_services.create_idea(
        actor=demo.agent,
        title="One-click reorder for past jobs",
        description="Let buyers repeat a past order with one click.",
        product=products["pressero"],
    )
    export = idea_services.create_idea(
        actor=demo.agent,
        title="Export the job list to Excel",
        description="Download the filtered job list as an .xlsx file.",
        product=products["pjm"],
    )
    for idea, voters in (
        (proofs, [demo.alice, demo.carol]),
        (reorder, [demo.alice, demo.bob, demo.carol]),
        (export, [demo.carol]),
    ):
        for voter in voters:
            idea_services.vote(idea=idea, user=voter)
    ticket = Ticket.objects.filter(kind=Ticket.Kind.FEATURE_REQUEST).first()
    if ticket is not None:
        idea_services.link_ticket(ticket=ticket, actor=demo.agent, idea=proofs)
    idea_services.set_status(
        idea=reorder,
        actor=demo.manager,
        status=Idea.Status.PLANNED,
        note="Planned for the summer release. Thanks to everyone who asked!",
    )
    idea_services.add_comment(
        idea=export, author=demo.carol, body="We would use this every Monday morning."
    )
