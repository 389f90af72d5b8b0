"""The ticket search box's small query language, parsed without the database.

    status:open tag:dns assignee:me "exact phrase" checkout

Bare words must all match (stemmed: "orders" finds "order"); a double-quoted phrase must
match as written, word after word; ``key:value`` pairs are filters (``key:"two words"``
takes a quoted value, ``status:new,open`` any of several). A key we do not know is read
as words, so pasted text with a colon ("Error: timeout") is still searched. Typed text
never becomes engine syntax: words are letters and digits only (see ``tickets.search``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_WORDS = 16
MAX_WORD_LENGTH = 40
MAX_FILTERS = 20

# The filter keys, and the other spellings a person may type.
KEYS = frozenset(
    {
        "status",
        "is",
        "product",
        "region",
        "assignee",
        "org",
        "requester",
        "tag",
        "after",
        "before",
        "urgent",
        "sla",
        "field",
        "order",
    }
)
ALIASES = {"organization": "org", "assigned": "assignee", "tags": "tag", "sort": "order"}

_TOKEN = re.compile(
    r'(?P<key>[A-Za-z_]+):(?:"(?P<qvalue>[^"]*)"?|(?P<value>[^\s"]+))'
    r'|"(?P<phrase>[^"]*)"?'
    r"|(?P<word>[^\s\"]+)"
)
_WORD = re.compile(r"[^\W_]+")

# Words too common to narrow a search: PostgreSQL's English configuration drops these, so
# dropping them here keeps both engines finding the same tickets. A phrase keeps them.
STOP_WORDS = frozenset(
    """a about after all also am an and any are as at be been but by can could did do does
    doing for from had has have having he her here how i if in into is it its just may me
    my no not of on or our out over please should so some than that the their them then
    there these they this to too up us was we were what when where which while who why will
    with would you your""".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class ParsedQuery:
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()  # each phrase as its words, in order
    filters: tuple[tuple[str, str], ...] = ()  # (key, value), keys from KEYS
    notes: tuple[str, ...] = field(default=())  # what was dropped, for the person who typed
    only_common_words: bool = False  # every word typed was a stop word: nothing to find

    @property
    def has_text(self) -> bool:
        return bool(self.words or self.phrases)

    def values(self, key: str) -> list[str]:
        return [value for k, value in self.filters if k == key]


def words_in(text: str) -> list[str]:
    """The searchable words of ``text``: letters and digits only, lowercased, cut to
    MAX_WORD_LENGTH characters."""
    return [w[:MAX_WORD_LENGTH] for w in _WORD.findall(text.lower())]


def parse_query(text: str) -> ParsedQuery:
    """The words, phrases and filters of a search box's text (any text at all)."""
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    filters: list[tuple[str, str]] = []
    notes: list[str] = []
    for match in _TOKEN.finditer(text or ""):
        key = match.group("key")
        if key is not None:
            name = ALIASES.get(key.lower(), key.lower())
            value = (
                match.group("qvalue") if match.group("qvalue") is not None else match.group("value")
            )
            if name in KEYS:
                if len(filters) < MAX_FILTERS:
                    filters.append((name, value.strip()))
                else:
                    notes.append(
                        _("Only the first %(count)s filters are used.") % {"count": MAX_FILTERS}
                    )
                continue
            words.extend(words_in(f"{key} {value}"))
        elif match.group("phrase") is not None:
            phrase = tuple(words_in(match.group("phrase")))
            if len(phrase) > 1:
                phrases.append(phrase)
            else:
                words.extend(phrase)
        else:
            words.extend(words_in(match.group("word")))
    unique = list(dict.fromkeys(w for w in words if w not in STOP_WORDS))
    if words and not unique and not phrases:
        notes.append(_("Those words are too common to search for; add a rarer one."))
    if len(unique) + sum(len(p) for p in phrases) > MAX_WORDS:
        notes.append(_("Only the first %(count)s words are searched.") % {"count": MAX_WORDS})
        budget = MAX_WORDS
        kept_phrases = []
        for phrase in phrases:
            if len(phrase) <= budget:
                kept_phrases.append(phrase)
                budget -= len(phrase)
        phrases = kept_phrases
        unique = unique[:budget]
    return ParsedQuery(
        words=tuple(unique),
        phrases=tuple(dict.fromkeys(phrases)),
        filters=tuple(dict.fromkeys(filters)),
        notes=tuple(dict.fromkeys(notes)),
        only_common_words=bool(words) and not unique and not phrases,
    )


def with_filter(text: str, key: str, value: str) -> str:
    """``text`` with ``key:value`` added (quoted when the value has a space)."""
    shown = f'"{value}"' if " " in value else value
    return f"{text.strip()} {key}:{shown}".strip()
