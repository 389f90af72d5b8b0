"""supportal import helpdesk|zendesk|csv ...: see supportal/imports and the README."""

from __future__ import annotations

from argparse import ArgumentParser
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from supportal.accounts.models import Plan, Product, SupportRegion
from supportal.imports import csvfile, helpdesk, services, zendesk
from supportal.imports.records import Source


class Command(BaseCommand):
    help = (
        "Import organizations, people, tickets, replies and attachments from django-helpdesk, "
        "a Zendesk export or a CSV. Idempotent: run again, nothing is duplicated."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=["helpdesk", "zendesk", "csv"])
        parser.add_argument(
            "path",
            help="helpdesk: its database URL (sqlite:///path or postgres://...); zendesk: "
            "tickets.json (users.json and organizations.json beside it); csv: the tickets CSV",
        )
        parser.add_argument("--media", help="helpdesk: its MEDIA_ROOT, for attachments")
        parser.add_argument("--replies", help="csv: a CSV of replies")
        parser.add_argument("--no-files", action="store_true", help="zendesk: skip attachments")
        parser.add_argument(
            "--plan", help="plan of new organizations (code or name; default: the lowest)"
        )
        parser.add_argument("--region", help="support region of new organizations (code or name)")
        parser.add_argument("--product", help="product for tickets of unknown products (slug)")
        parser.add_argument(
            "--source-name",
            help="what this source is called in the import map (default: the kind); two "
            "different exports of the same kind need different names",
        )
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")

    def _source(self, options: dict[str, Any]) -> Source:
        kind, path = options["kind"], options["path"]
        try:
            if kind == "helpdesk":
                media = Path(options["media"]) if options["media"] else None
                return helpdesk.read(path, media=media)
            if kind == "zendesk":
                return zendesk.read(Path(path), with_files=not options["no_files"])
            replies = Path(options["replies"]) if options["replies"] else None
            return csvfile.read(Path(path), replies_csv=replies)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"cannot read the {kind} source: {exc}") from exc

    def _options(self, options: dict[str, Any]) -> services.Options:
        plans = Plan.objects.all()
        plan = (
            plans.filter(code=options["plan"]).first() or plans.filter(name=options["plan"]).first()
            if options["plan"]
            else plans.order_by("rank").first()
        )
        products = Product.objects.all()
        product = (
            products.filter(slug=options["product"]).first()
            if options["product"]
            else products.order_by("pk").first()
        )
        region = (
            SupportRegion.objects.filter(code=options["region"]).first()
            or SupportRegion.objects.filter(name=options["region"]).first()
            if options["region"]
            else None
        )
        if plan is None or product is None:
            raise CommandError("name an existing --plan and --product (or create them first)")
        if options["region"] and region is None:
            raise CommandError(f"no support region named {options['region']!r}")
        return services.Options(plan=plan, default_product=product, region=region)

    def handle(self, *args: Any, **options: Any) -> None:
        source = self._source(options)
        if options["source_name"]:
            source = replace(source, name=options["source_name"])
        settings = self._options(options)
        dry_run = options["dry_run"]
        self.stdout.write(
            f"{source.name}: {len(source.organizations)} organizations, {len(source.users)} "
            f"people, {source.ticket_count} tickets{' (dry run)' if dry_run else ''}"
        )
        report = services.run_import(
            source, options=settings, out=cast(TextIO, self.stderr), dry_run=dry_run
        )
        for line in report.lines(dry_run=dry_run):
            self.stdout.write(line)
