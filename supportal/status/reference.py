"""The status page's components: the four products, the API and the portal itself.

Rows, not constants: managers may rename and reorder them in the admin. ``seed`` takes the
model classes so the migration can pass its historical models."""

from typing import Any

COMPONENTS = [
    # slug, name, product slug, description
    ("pressero", "Pressero", "pressero", "Storefronts and the Pressero admin"),
    ("edocbuilder", "eDocBuilder", "edocbuilder", "Template editing and document output"),
    ("pjm", "PJM", "pjm", "Print job management"),
    ("tflow", "tFlow", "tflow", "Prepress workflow"),
    ("api", "API", None, "The public APIs of the products"),
    ("portal", "Support portal", None, "This portal: tickets, knowledge base, news"),
]


def seed(Component: Any, Product: Any) -> None:  # noqa: N803 - model classes
    for position, (slug, name, product_slug, description) in enumerate(COMPONENTS):
        product = Product.objects.filter(slug=product_slug).first() if product_slug else None
        Component.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "position": position,
                "description": description,
                "product": product,
            },
        )


def seed_current() -> None:
    from supportal.accounts.models import Product

    from .models import Component

    seed(Component, Product)
