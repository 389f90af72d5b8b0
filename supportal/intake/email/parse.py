"""Read an email message into plain data, and the rules that judge it. Pure: no ORM.

Every way mail comes in (the ESP webhook, the IMAP poller, the SMTP listener) hands raw
RFC 5322 bytes to :func:`parse_email`; nothing here raises on bad input. What cannot be
read is reported in ``ParsedEmail.problems`` so the pipeline can quarantine it.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3

# MIME defects after which the body cannot be trusted: the mail goes to staff instead.
FATAL_DEFECTS = frozenset(
    {
        "StartBoundaryNotFoundDefect",
        "MultipartInvariantViolationDefect",
        "NoBoundaryInMultipartDefect",
        "MissingHeaderBodySeparatorDefect",
    }
)
AUTOMATED_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply", "auto-reply"})
BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
LIST_HEADERS = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help")
AUTORESPONDER_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response")


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class AuthResult:
    """One method's result in an ``Authentication-Results`` header (RFC 8601)."""

    authserv_id: str
    method: str  # "spf", "dkim", "dmarc", ...
    result: str  # "pass", "fail", "softfail", "none", ...


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str
    from_address: str
    from_name: str
    recipients: tuple[str, ...]
    return_path: str | None  # None: no header; "": the null sender "<>" of bounces
    auto_submitted: str
    precedence: str
    has_list_headers: bool
    has_autoresponder_headers: bool
    is_report: bool
    date: datetime | None
    text: str
    attachments: tuple[ParsedAttachment, ...] = ()
    problems: tuple[str, ...] = field(default=())
    auth_results: tuple[AuthResult, ...] = ()


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot even decode
        return ""
    if value is None:
        return ""
    try:
        return " ".join(str(value).split())
    except Exception:
        return ""


def _all_headers(msg: Message, name: str) -> list[str]:
    try:
        values = msg.get_all(name) or []
    except Exception:
        return []
    found = []
    for value in values:
        try:
            text = str(value)
        except Exception:  # a header the policy cannot decode proves nothing: skipped
            text = ""
        found.append(" ".join(text.split()))
    return found


def _without_comments(value: str) -> str:
    previous = None
    while previous != value:
        previous = value
        value = re.sub(r"\([^()]*\)", " ", value)
    return value


def parse_authentication_results(values: list[str]) -> tuple[AuthResult, ...]:
    """The method results of ``Authentication-Results`` headers, in order. What cannot be
    read is left out (it proves nothing either way)."""
    found: list[AuthResult] = []
    for value in values:
        parts = [part.strip() for part in _without_comments(value).split(";")]
        if not parts or not parts[0]:
            continue
        authserv_id = parts[0].split()[0].lower()
        for part in parts[1:]:
            match = re.match(r"([a-z0-9_-]+)\s*=\s*([a-z]+)", part, re.IGNORECASE)
            if match:
                found.append(
                    AuthResult(authserv_id, match.group(1).lower(), match.group(2).lower())
                )
    return tuple(found)


@dataclass(frozen=True)
class AuthVerdict:
    failed: str  # what failed, e.g. "dmarc=fail (mx.example.com)"; "" when nothing did
    dmarc_passed: bool


def authentication_verdict(
    results: tuple[AuthResult, ...], *, trusted_ids: frozenset[str]
) -> AuthVerdict:
    """What the receiving path says of the sender (RFC 8601, RFC 7489).

    With ``trusted_ids`` only headers written by those servers count (anyone can write the
    header into the mail they send); without, any header's failure counts, and a pass
    proves nothing. DMARC decides when it was checked; else an SPF fail, or a DKIM fail
    with no DKIM pass beside it (a list may break one signature of several), fails."""
    considered = [r for r in results if not trusted_ids or r.authserv_id in trusted_ids]

    def named(method: str, result: str) -> list[str]:
        return [
            f"{r.method}={r.result} ({r.authserv_id})"
            for r in considered
            if r.method == method and r.result == result
        ]

    dmarc_checked = [r for r in considered if r.method == "dmarc" and r.result in ("pass", "fail")]
    if dmarc_checked:
        failed = named("dmarc", "fail")
    else:
        failed = named("spf", "fail")
        if not named("dkim", "pass"):
            failed += named("dkim", "fail")
    return AuthVerdict(
        failed=", ".join(dict.fromkeys(failed)),
        dmarc_passed=bool(trusted_ids) and not failed and bool(named("dmarc", "pass")),
    )


def message_ids(value: str) -> tuple[str, ...]:
    """The ``<id>`` tokens in a Message-ID, In-Reply-To or References header, in order."""
    return tuple(dict.fromkeys(re.findall(r"<[^<>\s]+>", value or "")))


def fallback_message_id(raw: bytes) -> str:
    """A stable id for mail that carries none, so a second delivery is still a duplicate."""
    return f"<{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id.invalid>"


@dataclass(frozen=True)
class Envelope:
    message_id: str
    sender: str
    subject: str


def read_envelope(raw: bytes) -> Envelope:
    """Message-ID, sender and subject from the headers only: cheap, for any size, never
    raises. A mail without a Message-ID gets one derived from its bytes."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
    except Exception:
        headers = EmailMessage()
    found = message_ids(_header(headers, "Message-ID"))
    sender = parseaddr(_header(headers, "From"))[1].strip().lower()
    return Envelope(
        message_id=found[0][:250] if found else fallback_message_id(raw),
        sender=sender[:254] if "@" in sender else "",
        subject=_header(headers, "Subject")[:500],
    )


def _decode_part(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    if not isinstance(payload, bytes):
        return str(payload)
    charset = "us-ascii"
    try:
        charset = part.get_content_charset() or "us-ascii"
    except Exception:
        charset = "us-ascii"
    try:
        return payload.decode(charset)
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def html_to_text(markup: str) -> str:
    """Readable text from an HTML mail body (tags dropped, scripts and styles removed)."""
    markup = re.sub(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote)>", "\n", markup)
    text = html.unescape(nh3.clean(markup, tags=set()))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_attachment(part: Message) -> bool:
    try:
        disposition = (part.get_content_disposition() or "").lower()
    except Exception:
        disposition = ""
    return disposition == "attachment" or (
        disposition == "inline"
        and bool(part.get_filename())
        and part.get_content_maintype() not in ("text", "multipart")
    )


def _walk(msg: Message) -> tuple[str, str, list[ParsedAttachment]]:
    plain, markup = "", ""
    attachments: list[ParsedAttachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        content_type = (part.get_content_type() or "text/plain").lower()
        try:
            filename = part.get_filename() or ""
        except Exception:
            filename = ""
        if _is_attachment(part) or (filename and not content_type.startswith("text/")):
            try:
                data = part.get_payload(decode=True) or b""
            except Exception:
                data = b""
            attachments.append(
                ParsedAttachment(filename=filename or "attachment", content_type=content_type,
                                 data=data if isinstance(data, bytes) else b"")
            )  # fmt: skip
        elif content_type == "text/plain" and not plain:
            plain = _decode_part(part)
        elif content_type == "text/html" and not markup:
            markup = _decode_part(part)
    return plain, markup, attachments


def _defect_names(msg: Message) -> set[str]:
    names: set[str] = set()
    for part in msg.walk():
        names.update(type(defect).__name__ for defect in getattr(part, "defects", ()))
    return names


def parse_email(raw: bytes) -> ParsedEmail:
    """Everything the pipeline needs from one message. Never raises."""
    problems: list[str] = []
    try:
        msg: Message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as exc:  # pragma: no cover - the parser itself is very lenient
        msg = EmailMessage()
        problems.append(f"unparseable message: {type(exc).__name__}")
    fatal = _defect_names(msg) & FATAL_DEFECTS
    problems.extend(f"malformed MIME: {name}" for name in sorted(fatal))

    from_name, from_address = parseaddr(_header(msg, "From"))
    from_address = from_address.strip().lower()
    if "@" not in from_address or " " in from_address:
        problems.append("no valid sender address (From)")
        from_address = ""
    raw_return_path = _header(msg, "Return-Path")
    return_path: str | None = None
    if "Return-Path" in msg:
        return_path = parseaddr(raw_return_path)[1].lower() if raw_return_path != "<>" else ""
    recipients = tuple(
        addr.lower()
        for _, addr in getaddresses(
            [_header(msg, "To"), _header(msg, "Cc"), _header(msg, "Delivered-To")]
        )
        if "@" in addr
    )
    try:
        date = parsedate_to_datetime(_header(msg, "Date")) if _header(msg, "Date") else None
        if date is not None and date.tzinfo is None:
            date = None
    except (TypeError, ValueError, IndexError):
        date = None
    try:
        plain, markup, attachments = _walk(msg)
    except Exception as exc:
        plain, markup, attachments = "", "", []
        problems.append(f"unreadable body: {type(exc).__name__}")
    text = plain if plain.strip() else html_to_text(markup) if markup else ""
    content_type = ""
    try:
        content_type = msg.get_content_type().lower()
    except Exception:
        content_type = ""
    ids = message_ids(_header(msg, "Message-ID"))
    return ParsedEmail(
        message_id=ids[0][:250] if ids else fallback_message_id(raw),
        in_reply_to=message_ids(_header(msg, "In-Reply-To")),
        references=message_ids(_header(msg, "References")),
        subject=_header(msg, "Subject")[:500],
        from_address=from_address[:254],
        from_name=from_name.strip()[:150],
        recipients=recipients,
        return_path=return_path,
        auto_submitted=_header(msg, "Auto-Submitted").lower(),
        precedence=_header(msg, "Precedence").lower(),
        has_list_headers=any(_header(msg, name) for name in LIST_HEADERS),
        has_autoresponder_headers=any(_header(msg, name) for name in AUTORESPONDER_HEADERS),
        is_report=content_type == "multipart/report"
        or any(p.get_content_type() == "message/delivery-status" for p in msg.walk()),
        date=date,
        text=text.replace("\r\n", "\n"),
        attachments=tuple(attachments),
        problems=tuple(problems),
        auth_results=parse_authentication_results(_all_headers(msg, "Authentication-Results")),
    )


def automated_reason(parsed: ParsedEmail, *, own_addresses: frozenset[str]) -> str | None:
    """Why this mail must get no automatic answer (RFC 3834), or None when it may.

    Auto-replies, bounces, mailing lists and mail from ourselves: answering them is how two
    help desks end up mailing each other forever."""
    if parsed.from_address in own_addresses:
        return "sent from our own address"
    if parsed.auto_submitted and parsed.auto_submitted != "no":
        return f"Auto-Submitted: {parsed.auto_submitted}"
    if parsed.precedence in AUTOMATED_PRECEDENCE:
        return f"Precedence: {parsed.precedence}"
    if parsed.return_path == "":
        return "bounce (empty Return-Path)"
    if parsed.is_report:
        return "delivery status report"
    if parsed.from_address.split("@")[0] in BOUNCE_SENDERS:
        return "bounce (sent by a mail system)"
    if parsed.has_list_headers:
        return "mailing list"
    if parsed.has_autoresponder_headers:
        return "auto-responder"
    return None


def ticket_tag(subject: str, *, prefix: str) -> str | None:
    """The ticket number in a subject's ``[SUP-1042]`` tag, if any."""
    match = re.search(rf"\[({re.escape(prefix)}-\d+)\]", subject or "", re.IGNORECASE)
    return match.group(1).upper() if match else None


def clean_subject(subject: str, *, prefix: str) -> str:
    """The subject without Re:/Fwd: prefixes and ticket tags."""
    cleaned = re.sub(rf"\[{re.escape(prefix)}-\d+\]", "", subject or "", flags=re.IGNORECASE)
    previous = None
    while previous != cleaned:
        previous = cleaned
        cleaned = re.sub(r"^\s*(re|fwd?|aw|sv|rv)\s*:\s*", "", cleaned, flags=re.IGNORECASE)
    return " ".join(cleaned.split())


_QUOTE_HEADERS = [
    re.compile(r"^On\b.{0,300}\bwrote:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^Le\b.{0,300}\ba écrit\s?:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^El\b.{0,300}\bescribió:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^Am\b.{0,300}\bschrieb.{0,100}:\s*$", re.IGNORECASE | re.DOTALL),
    re.compile(r"^-{2,}\s*Original Message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^-{2,}\s*Forwarded message\s*-{2,}", re.IGNORECASE),
    re.compile(r"^_{20,}\s*$"),
]
_SIGNATURES = [
    re.compile(r"^-- ?$"),
    re.compile(r"^Sent from my \w+", re.IGNORECASE),
    re.compile(r"^Get Outlook for ", re.IGNORECASE),
    re.compile(r"^Sent from (Mail|Outlook|Yahoo Mail) for ", re.IGNORECASE),
]


def _is_outlook_header(line: str, following: list[str]) -> bool:
    """Outlook quotes the previous mail under a "From: ... Sent: ..." header block."""
    return line.lower().startswith("from:") and any(
        nxt.strip().lower().startswith(("sent:", "date:")) for nxt in following
    )


def trim_reply(text: str) -> str:
    """The new part of a reply: quoted history and the signature cut off.

    When trimming would leave nothing, the whole text is kept: losing what the customer
    wrote is worse than showing them their own quote."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        two_lines = f"{stripped} {lines[index + 1].strip()}" if index + 1 < len(lines) else ""
        if any(p.match(stripped) for p in _QUOTE_HEADERS) or (
            stripped.lower().startswith("on ") and _QUOTE_HEADERS[0].match(two_lines)
        ):
            break
        if _is_outlook_header(stripped, lines[index + 1 : index + 3]):
            break
        if any(p.match(line.rstrip()) for p in _SIGNATURES):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    trimmed = "\n".join(kept).strip()
    return re.sub(r"\n{3,}", "\n\n", trimmed) if trimmed else (text or "").strip()
