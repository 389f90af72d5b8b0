"""Write a source (``records.Source``) into Supportal, idempotently.

Each source record is remembered (``ImportedRecord``) with the row it became; importing
again finds it and writes nothing for it, so a run that stopped half-way is simply run
again. People already here (same address) are used as they are. A ticket is written with
its replies and files in one transaction: one that cannot be written is reported and the
others go on. A ticket already imported is not updated.

Imported history is written as it was: original dates and numbers, no notifications, no
SLA clocks, no webhooks (audit rows are written in bulk, without the signals live changes
send). New customers get no usable password: they set one with "Forgot password"; staff
accounts are created inactive, for a manager to switch on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TextIO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from supportal.accounts.models import Organization, Plan, Product, SupportRegion, User
from supportal.tickets.models import Attachment, AuditEvent, Reply, Ticket
from supportal.tickets.search import index_tickets

from .models import ImportedRecord
from .progress import Progress
from .records import Source, SourceFile, SourceOrganization, SourceTicket, SourceUser


@dataclass(frozen=True)
class Options:
    plan: Plan
    default_product: Product
    region: SupportRegion | None = None


@dataclass
class Report:
    created: Counter[str] = field(default_factory=Counter)
    existing: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def lines(self, *, dry_run: bool) -> list[str]:
        verb = "would create" if dry_run else "created"
        kinds = ["organizations", "users", "tickets", "replies", "files"]
        lines = [f"{verb}: " + ", ".join(f"{self.created[k]} {k}" for k in kinds)]
        lines.append(
            "already imported or already here: "
            + ", ".join(f"{self.existing[k]} {k}" for k in ["organizations", "users", "tickets"])
        )
        lines += [f"skipped: {error}" for error in self.errors]
        return lines


class _DryRun(Exception):
    """Raised to roll a dry run back."""


class Importer:
    def __init__(self, source: Source, options: Options, report: Report, *, dry_run: bool) -> None:
        self.source, self.options, self.report = source, options, report
        self.dry_run = dry_run
        self._written: list[Attachment] = []  # files of the ticket being written
        self._remembered: list[tuple[str, str]] = []  # map entries of the ticket being written
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.products = {p.slug: p for p in Product.objects.all()}
        self.products.update({p.name.lower(): p for p in self.products.values()})
        # What earlier runs imported from this source, read once instead of once per record.
        self._map = {
            (kind, external_id): object_id
            for kind, external_id, object_id in ImportedRecord.objects.filter(
                source=source.name
            ).values_list("kind", "external_id", "object_id")
        }

    # --- the map of what was imported ---------------------------------------------------

    def _known(self, kind: str, external_id: str) -> int | None:
        return self._map.get((kind, external_id))

    def _remember(self, kind: str, external_id: str, object_id: int) -> None:
        ImportedRecord.objects.create(
            source=self.source.name, kind=kind, external_id=external_id, object_id=object_id
        )
        self._map[(kind, external_id)] = object_id
        self._remembered.append((kind, external_id))

    # --- organizations and people -----------------------------------------------------

    def organization(self, record: SourceOrganization) -> Organization:
        known = self._known("organization", record.external_id)
        if known is not None:
            self.report.existing["organizations"] += 1
            return Organization.objects.get(pk=known)
        organization = Organization.objects.filter(name__iexact=record.name).first()
        if organization is not None:
            self.report.existing["organizations"] += 1
        else:
            base = slugify(record.name)[:50] or "organization"
            slug, n = base, 1
            while Organization.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            organization = Organization.objects.create(
                name=record.name[:200],
                slug=slug,
                plan=self.options.plan,
                support_region=self.options.region,
            )
            organization.products.add(self.options.default_product)
            self.report.created["organizations"] += 1
        self._remember("organization", record.external_id, organization.pk)
        return organization

    def user(self, record: SourceUser) -> User:
        known = self._known("user", record.external_id)
        if known is not None:
            self.report.existing["users"] += 1
            return User.objects.get(pk=known)
        user = User.objects.filter(email__iexact=record.email).first()
        if user is not None:
            self.report.existing["users"] += 1
        else:
            organization = (
                self.organizations.get(record.organization_id) if record.organization_id else None
            )
            if record.staff:
                user = User.objects.create_user(
                    record.email, None, name=record.name, role=User.Role.AGENT, is_active=False
                )
            else:
                if organization is None:
                    raise ValueError(f"{record.email} belongs to no organization")
                user = User.objects.create_user(
                    record.email,
                    None,
                    name=record.name,
                    role=User.Role.CUSTOMER,
                    organization=organization,
                )
            self.report.created["users"] += 1
        self._remember("user", record.external_id, user.pk)
        return user

    def people(self) -> None:
        for record in self.source.organizations:
            self.organizations[record.external_id] = self.organization(record)
        for person in self.source.users:
            try:
                self.users[person.external_id] = self.user(person)
            except ValueError as exc:
                self.report.errors.append(f"user {person.external_id}: {exc}")

    # --- tickets ----------------------------------------------------------------------

    def _product(self, key: str) -> Product:
        return (
            self.products.get(key.lower(), self.options.default_product)
            if key
            else (self.options.default_product)
        )

    def _store(self, files: list[SourceFile], *, ticket: Ticket, reply: Reply | None,
               uploader: User) -> None:  # fmt: skip
        for source_file in files:
            content = source_file.read()
            self.report.created["files"] += 1
            if self.dry_run:
                continue  # a dry run writes no file (a rollback would not remove it)
            attachment = Attachment.objects.create(
                ticket=ticket,
                reply=reply,
                uploaded_by=uploader,
                file=ContentFile(content, name=source_file.name),
                original_name=source_file.name[:255],
                content_type=source_file.content_type[:100],
                size=len(content),
                created_at=reply.created_at if reply else ticket.received_at,
            )
            self._written.append(attachment)

    def ticket(self, record: SourceTicket) -> None:
        if self._known("ticket", record.external_id) is not None:
            self.report.existing["tickets"] += 1
            return
        requester = self.users.get(record.requester_id)
        if requester is None or requester.organization_id is None:
            self.report.errors.append(f"ticket {record.number}: its requester was not imported")
            return
        if Ticket.objects.filter(number=record.number).exists():
            self.report.errors.append(f"ticket {record.number}: that number is taken here")
            return
        product = self._product(record.product)
        staff_replies = [r for r in record.replies if r.author_id and not r.internal]
        closed = record.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
        last = record.updated_at or (record.replies[-1].created_at if record.replies else None)
        ticket = Ticket.objects.create(
            number=record.number,
            organization_id=requester.organization_id,
            requester=requester,
            product=product,
            subject=record.subject[:200],
            description=record.description,
            status=record.status,
            urgent=record.urgent,
            # Other desks do not ask why; the first of the policy's reasons stands in.
            urgent_reason=Ticket.UrgentReason.CANNOT_ORDER if record.urgent else "",
            assignee=self.users.get(record.assignee_id) if record.assignee_id else None,
            received_at=record.created_at,
            first_responded_at=staff_replies[0].created_at if staff_replies else None,
            resolved_at=(last or record.created_at) if closed else None,
            closed_at=(last or record.created_at)
            if record.status == Ticket.Status.CLOSED
            else None,
        )
        ticket.organization.products.add(product)  # the organization the ticket just named
        self._store(record.files, ticket=ticket, reply=None, uploader=requester)
        for source_reply in record.replies:
            author = self.users.get(source_reply.author_id, requester)
            reply = Reply.objects.create(
                ticket=ticket,
                author=author,
                body=source_reply.body,
                internal=source_reply.internal,
                created_at=source_reply.created_at,
            )
            self._store(source_reply.files, ticket=ticket, reply=reply, uploader=author)
            self.report.created["replies"] += 1
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    ticket=ticket,
                    actor=None,
                    action=AuditEvent.Action.CREATED,
                    data={"imported_from": self.source.name, "external_id": record.external_id},
                    created_at=record.created_at,
                )
            ]
        )
        # updated_at is stamped on every save; the original's is put back.
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=last or record.created_at)
        index_tickets([ticket.pk])  # found by search at once, as a ticket filed here
        self._remember("ticket", record.external_id, ticket.pk)
        self.report.created["tickets"] += 1

    def tickets(self, out: TextIO) -> None:
        progress = Progress(out, self.source.ticket_count, "tickets")
        for record in self.source.tickets():
            self._written, self._remembered = [], []
            try:
                with transaction.atomic():
                    self.ticket(record)
            except (IntegrityError, OSError, ValueError) as exc:
                for attachment in self._written:  # rolled back: its files go too
                    attachment.file.delete(save=False)
                for key in self._remembered:  # and its map entries
                    self._map.pop(key, None)
                self.report.errors.append(f"ticket {record.number}: {exc}")
            progress.advance()
        progress.finish()


def run_import(source: Source, *, options: Options, out: TextIO, dry_run: bool = False) -> Report:
    """Import ``source``: the people in one transaction, then each ticket in its own (a run
    that stops is run again and goes on where it stopped). With ``dry_run`` everything is
    done inside one transaction that is then rolled back, so the report says what a real
    run would do, and nothing stays."""
    report = Report()
    importer = Importer(source, options, report, dry_run=dry_run)
    if not dry_run:
        with transaction.atomic():
            importer.people()
        importer.tickets(out)
        return report
    try:
        with transaction.atomic():
            importer.people()
            importer.tickets(out)
            raise _DryRun
    except _DryRun:
        pass
    return report
