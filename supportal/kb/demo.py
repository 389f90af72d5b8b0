"""Demo content for the knowledge base: articles for the four products, a documentation
tree, a training video with its transcript, one draft and an upcoming session."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from supportal.accounts.models import Product, TrainingSession

from . import services
from .models import Article, Category, DocPage, TrainingVideo

if TYPE_CHECKING:
    from supportal.demo.loader import Demo

CATEGORIES = {
    "setup": "Store setup",
    "orders": "Orders and checkout",
    "templates": "Templates and documents",
    "production": "Production and jobs",
    "pricing": "Pricing and calculators",
}

# English title → (Spanish title, Spanish body): the articles with a Spanish version.
SPANISH: dict[str, tuple[str, str]] = {
    "How to add a shipping method": (
        "Cómo añadir un método de envío",
        "Los métodos de envío se configuran por sitio.\n\n"
        "1. Vaya a **Sites > Settings > Shipping**.\n"
        "2. Elija **Add shipping method** y seleccione un transportista (UPS, FedEx, USPS) o "
        "una tarifa plana para entregas al día siguiente o locales.\n"
        "3. Defina las reglas de precio y los países a los que se aplica, y guarde.\n\n"
        "El nuevo método aparece en el pago en cuanto se guarda. Para ocultarlo a algunos "
        "compradores, restrínjalo a grupos de usuarios.",
    ),
}

# (product, category, title, tags, body)
ARTICLES: list[tuple[str, str, str, str, str]] = [
    (
        "pressero",
        "setup",
        "How to add a shipping method",
        "shipping, delivery, checkout",
        "Shipping methods are set per site.\n\n"
        "1. Go to **Sites > Settings > Shipping**.\n"
        "2. Choose **Add shipping method** and pick a carrier (UPS, FedEx, USPS) or a "
        "flat-rate method for next-day or local delivery.\n"
        "3. Set the price rules and the countries it applies to, then save.\n\n"
        "The new method appears at checkout as soon as it is saved. To hide a method for "
        "some buyers, restrict it to user groups.",
    ),
    (
        "pressero",
        "orders",
        "Edit the order confirmation email template",
        "email, order confirmation, notifications",
        "Buyers receive the order confirmation email when an order is placed.\n\n"
        "Open **Sites > Settings > Email templates**, choose *Order confirmation* and edit "
        "the subject and text. Placeholders such as `{OrderNumber}` and `{BuyerName}` are "
        "filled in when the email is sent. Send yourself a test order to check the result.",
    ),
    (
        "pressero",
        "orders",
        "Customers cannot check out: payment step shows an error",
        "checkout, payment, gateway, error",
        "Most payment errors come from the gateway settings.\n\n"
        "- Check that the gateway credentials under **Sites > Settings > Payment** are the "
        "live ones, not the sandbox.\n"
        "- Remove recently added custom JavaScript from the HTML Head area and try again.\n\n"
        "If buyers still cannot order, open an **urgent** ticket: that is what urgent is for.",
    ),
    (
        "pressero",
        "pricing",
        "Unlocking a pricing calculator spreadsheet",
        "calculator, excel, pricing, password",
        "You can usually edit a calculator sheet without unlocking it. If you need the "
        "password, open a ticket of kind *Calculator password*.\n\n"
        "Save a copy of the spreadsheet first: its formulas are easy to break, and repairing "
        "a damaged calculator is billed as professional services.",
    ),
    (
        "pressero",
        "setup",
        "Custom CSS and JavaScript in the HTML Head area",
        "css, javascript, skinning, html head",
        "Custom code goes in **Sites > Settings > SEO/HTML > HTML Head Content**.\n\n"
        "Problems caused by custom CSS or JavaScript are billed per incident. Check your "
        "sites after each weekly update, and keep a copy of your code.",
    ),
    (
        "edocbuilder",
        "templates",
        "Template preview shows the wrong font",
        "fonts, preview, assets, template",
        "When a preview falls back to Arial, the template's font is not uploaded.\n\n"
        "Upload the font files under **Assets > Fonts** (TTF or OTF, every weight you use), "
        "then pick the font again in the template's text boxes and refresh the preview.",
    ),
    (
        "edocbuilder",
        "templates",
        "Adding bleed and crop marks to PDF proofs",
        "pdf, proof, bleed, crop marks",
        "Set the bleed on the template's page settings; crop marks are an output option of "
        "the PDF profile. Proofs shown to buyers use the *proof* profile, production files "
        "the *print* profile.",
    ),
    (
        "edocbuilder",
        "templates",
        "Variable data fields in eDocBuilder templates",
        "variable data, fields, template setup",
        "Every text box can take a field that buyers fill in: name, title, phone. Mark a "
        "field as required to stop an order until it is filled. Complex scripting in "
        "templates is template setup work for professional services.",
    ),
    (
        "pjm",
        "production",
        "Importing jobs from a spreadsheet",
        "import, excel, csv, spreadsheet, jobs",
        "PJM imports jobs from an Excel or CSV file.\n\n"
        "1. Download the import template from **Jobs > Import**.\n"
        "2. Fill one row per job: customer, due date, quantity, product.\n"
        "3. Upload the file; PJM checks every row and lists the ones it could not read.",
    ),
    (
        "pjm",
        "production",
        "Scheduling jobs on a press",
        "schedule, press, capacity, due date",
        "Drag a job onto a press in the schedule board. PJM warns when a press is over "
        "capacity for the day or a job would miss its due date.",
    ),
    (
        "tflow",
        "production",
        "Setting up a tFlow hot folder",
        "hot folder, automation, workflow",
        "A hot folder picks up files dropped into it and starts a workflow. Create it under "
        "**Automation > Hot folders**, choose the workflow and the folder path on the server.",
    ),
    (
        "tflow",
        "production",
        "Approving proofs in tFlow",
        "proof, approval, workflow",
        "Buyers approve proofs from the email link or in the portal. An approval moves the "
        "job to the next step of its workflow; a rejection sends it back with the comment.",
    ),
]

DOCS: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {
    "pressero": [
        (
            "Getting started",
            "The admin area manages sites, products and buyers.",
            [
                ("Creating a site", "A site is a storefront with its own address and skin."),
                ("Adding products", "Products are set up once and published to sites."),
            ],
        ),
        ("Orders", "Orders arrive in **Orders > Pending**.", []),
    ],
    "edocbuilder": [
        (
            "Templates",
            "Templates turn a designer's file into an editable document.",
            [("Fonts and assets", "Upload fonts and images under Assets.")],
        ),
    ],
    "pjm": [("Jobs", "A job is one piece of work for one customer.", [])],
    "tflow": [("Workflows", "A workflow is the route a file takes from upload to print.", [])],
}

VIDEO_TRANSCRIPT = (
    "Welcome to this Pressero walkthrough. Today we set up shipping for a storefront. "
    "First open Sites, then Settings, then Shipping. Here we add a flat rate for local "
    "delivery and a carrier rate with UPS. Next we look at the order confirmation email "
    "so buyers see the delivery date. Finally we place a test order to check everything."
)


def load_kb_demo(demo: Demo, *, with_content: bool = True) -> None:
    """Create the demo KB content once (idempotent: skipped when articles exist).

    The test suite's personas-only demo (``with_content=False``) creates nothing."""
    if not with_content or Article.objects.exists():
        return
    categories = {
        key: Category.objects.get_or_create(slug=key, defaults={"name": name})[0]
        for key, name in CATEGORIES.items()
    }
    for product, category, title, tags, body in ARTICLES:
        spanish = SPANISH.get(title)
        services.create_article(
            author=demo.agent,
            draft=services.ArticleDraft(
                title=title,
                body=body,
                product=product,
                published=True,
                tags=tags,
                category_id=categories[category].pk,
                translations=(services.TranslationDraft("es", *spanish),) if spanish else None,
            ),
        )
    services.create_article(
        author=demo.agent_es,
        draft=services.ArticleDraft(
            title="tFlow and PJM integration (draft)",
            body="Work in progress: how jobs flow from PJM into tFlow workflows.",
            product="tflow",
            published=False,
            tags="integration",
        ),
    )
    products = {p.slug: p for p in Product.objects.all()}
    for slug, chapters in DOCS.items():
        for position, (title, body, children) in enumerate(chapters):
            parent = services.save_doc_page(
                page=DocPage(product=products[slug], title=title, body=body, position=position)
            )
            for child_position, (child_title, child_body) in enumerate(children):
                services.save_doc_page(
                    page=DocPage(
                        product=products[slug],
                        parent=parent,
                        title=child_title,
                        body=child_body,
                        position=child_position,
                    )
                )
    if not TrainingVideo.objects.exists():
        services.save_video(
            video=TrainingVideo(
                title="Pressero: setting up shipping",
                product=products["pressero"],
                embed_url="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
                duration_seconds=7 * 60 + 42,
                transcript=VIDEO_TRANSCRIPT,
            )
        )
    TrainingSession.objects.get_or_create(
        title="eDocBuilder templates workshop",
        defaults={
            "product": products["edocbuilder"],
            "starts_at": timezone.now() + timedelta(days=21),
            "seats": 12,
        },
    )
