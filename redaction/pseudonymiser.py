"""Record-aware pseudonymisation: known people first, Presidio for everything else.

For each record: the family's known-mention matcher finds every mention of what the store
knows (``source="known"``), Presidio (batched over all titles and texts of a batch) finds
other people, professionals, places, schools and identifiers, ``Detector.merge`` resolves
overlaps (known wins), and each span is replaced: family members by role pseudonyms,
dates of birth by age bands, other values by per-family numbered placeholders. Event
dates stay. The placeholder -> original mapping, with the exact original of every
occurrence (``redaction.reidentify``), is sealed into the token vault.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from redaction.context import ContextBuilder, FamilyKnowledge, RecordContext
from redaction.detect import Detector
from redaction.entities import EMAIL, KEPT_ENTITIES, PERSON, PHONE
from redaction.known_mentions import (
    KnownMatcher,
    KnownValue,
    email_pattern,
    name_pattern,
    phone_pattern,
)
from redaction.name_spans import EDGE_WORDS
from redaction.placeholders import PlaceholderKeyer
from redaction.pseudonyms import known_placeholder
from redaction.reidentify import PLACEHOLDER_SHAPE, literal_key, occurrence_key
from redaction.roster import misspelt_member
from redaction.spans import DetectedSpan
from redaction.vault import TokenVault
from retrieval.records import SourceRecord, as_day
from retrieval.store.redaction_store import PlaceholderEntry, PseudonymisedRow
from retrieval.store.rows import record_values

#: Bump when the redaction logic changes: every record is then redone by ``redact all``.
#: 1.1: names in any case, keep list, places kept; 1.2: SCOWL word lists, brands (issue 24);
#: 1.3: settings named like a house, pets, games, misspelt members' names (issue 24).
REDACTOR_VERSION = "1.3"
FIELDS: tuple[str, ...] = ("title", "text")
#: A capitalised word right after a name, in the same line ("Adrian Winterbottom").
_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w'’\-]*[a-z][\w'’\-]*)")


@dataclass(frozen=True)
class Replacement:
    """``original[start:end]`` of ``field`` became ``placeholder`` (offsets, not values)."""

    field: str
    start: int
    end: int
    placeholder: str
    entity_type: str
    source: str


@dataclass(frozen=True)
class PseudonymisedResult:
    """One record's pseudonymisation: the row to store plus what was replaced (in memory)."""

    row: PseudonymisedRow
    replacements: tuple[Replacement, ...]
    new_placeholders: tuple[PlaceholderEntry, ...]
    family_key: str


def _author_values(record: SourceRecord) -> list[KnownValue]:
    """The record's author: their name, email and phone are known even if Presidio misses
    them (they get typed placeholders, not family pseudonyms)."""
    author = record.author
    values: list[KnownValue] = []
    if author.name and len(author.name.strip()) >= 4 and " " in author.name.strip():
        name = author.name.strip()
        values.append(KnownValue(PERSON, "author", name_pattern(name), len(name)))
    if author.email:
        values.append(KnownValue(EMAIL, "author", email_pattern(author.email), 30))
    if author.phone and (pattern := phone_pattern(author.phone)):
        values.append(KnownValue(PHONE, "author", pattern, 20))
    return values


def _drop_names_inside_other_names(
    text: str, known: list[DetectedSpan], detected: Sequence[DetectedSpan]
) -> list[DetectedSpan]:
    """A family member's name followed, inside one detected name, by a surname that is not
    theirs is someone else ("Adrian Winterbottom" the nurse, not "Adrian" the child):
    leave it to the detector."""
    dropped: set[tuple[int, int]] = set()
    for other in detected:
        if other.entity_type != PERSON:
            continue
        for k in known:
            if k.entity_type != PERSON or not (other.start <= k.start and k.end < other.end):
                continue
            following = _NEXT_WORD.match(text, k.end, other.end)
            if following and any(
                n.entity_type == PERSON and n.start == following.start(1) for n in known
            ):
                continue  # the next word is known too ("Teresa Anne McCarthy")
            if following and following.group(1).lower() not in EDGE_WORDS:
                dropped.add((k.start, k.end))
    return [k for k in known if (k.start, k.end) not in dropped]


#: Authors whose compiled matchers a pseudonymiser keeps.
_AUTHORS_REMEMBERED = 1024


class Pseudonymiser:
    """Pseudonymises source records using the store's family knowledge and Presidio."""

    def __init__(
        self,
        detector: Detector,
        vault: TokenVault,
        keyer: PlaceholderKeyer,
        knowledge: FamilyKnowledge,
        *,
        today: date | None = None,
    ) -> None:
        self._detector = detector
        self._vault = vault
        self._contexts = ContextBuilder(knowledge, keyer, today=today)
        #: One compiled matcher per author (a few practitioners write most records;
        #: compiling their patterns again for every record cost a sixth of redaction).
        self._author_matchers: dict[tuple[KnownValue, ...], KnownMatcher] = {}

    def context_for(self, record: SourceRecord) -> RecordContext:
        return self._contexts.for_record(record)

    def contexts_for(self, records: Sequence[SourceRecord]) -> list[RecordContext]:
        """``context_for`` of many records, with batched store lookups."""
        return self._contexts.for_records(records)

    def pseudonymise(self, record: SourceRecord) -> PseudonymisedResult:
        return self.pseudonymise_many([record])[0]

    def pseudonymise_many(
        self,
        records: Sequence[SourceRecord],
        contexts: Sequence[RecordContext] | None = None,
    ) -> list[PseudonymisedResult]:
        """Pseudonymise a batch; Presidio runs once over all its titles and texts.

        ``contexts`` (from ``contexts_for`` in this run, one per record) saves building
        them again."""
        if contexts is None:
            contexts = self._contexts.for_records(records)
        elif len(contexts) != len(records):
            raise ValueError(f"{len(contexts)} contexts given for {len(records)} records")
        texts = [getattr(r, f) or "" for r in records for f in FIELDS]
        wanted = [i for i, t in enumerate(texts) if t.strip()]
        found = self._detector.detect_many([texts[i] for i in wanted]) if wanted else []
        detected: list[list[DetectedSpan]] = [[] for _ in texts]
        for index, spans in zip(wanted, found, strict=True):
            detected[index] = spans
        results = []
        for n, (record, context) in enumerate(zip(records, contexts, strict=True)):
            per_field = {f: detected[n * len(FIELDS) + i] for i, f in enumerate(FIELDS)}
            results.append(self._one(record, context, per_field))
        return results

    def _author_matcher(self, record: SourceRecord) -> KnownMatcher:
        values = tuple(_author_values(record))
        matcher = self._author_matchers.get(values)
        if matcher is None:
            if len(self._author_matchers) >= _AUTHORS_REMEMBERED:
                self._author_matchers = {}
            matcher = self._author_matchers[values] = KnownMatcher(values)
        return matcher

    def _one(
        self,
        record: SourceRecord,
        context: RecordContext,
        detected: dict[str, list[DetectedSpan]],
    ) -> PseudonymisedResult:
        family = context.family
        author = self._author_matcher(record)
        on = as_day(record.occurred_at)
        mapping: dict[str, str] = {}
        replacements: list[Replacement] = []
        output: dict[str, str] = {}
        for field in FIELDS:
            original = getattr(record, field) or ""
            known: dict[tuple[int, int], tuple[str, str]] = {}
            known_spans: list[DetectedSpan] = []
            matches = [*family.matcher.find(original), *author.find(original)]
            for m in sorted(matches, key=lambda m: (m.start - m.end, m.start)):
                if any(s.start < m.end and m.start < s.end for s in known_spans):
                    continue  # the longer match wins ("Adrian Winterbottom" over "Adrian")
                known[(m.start, m.end)] = (m.kind, m.owner)
                known_spans.append(
                    DetectedSpan(m.start, m.end, m.kind, 1.0, "KnownMentions", "known")
                )
            known_spans.sort(key=lambda k: k.start)
            known_spans = _drop_names_inside_other_names(original, known_spans, detected[field])
            spans = self._detector.merge(original, detected[field], known_spans)
            pieces: list[str] = []
            cursor = 0
            written = 0
            inserted: set[int] = set()  # where each placeholder starts in the output
            occurrences: dict[str, int] = {}
            for span in spans:
                if span.entity_type in KEPT_ENTITIES:
                    continue
                value = original[span.start : span.end]
                placeholder = self._placeholder(
                    span, known, value, context, on, self._is_other_word
                )
                before = original[cursor : span.start]
                pieces.append(before)
                pieces.append(placeholder)
                inserted.add(written + len(before))
                written += len(before) + len(placeholder)
                cursor = span.end
                count = occurrences[placeholder] = occurrences.get(placeholder, 0) + 1
                # Every occurrence's exact original is kept: the first in the record as
                # the placeholder's value, each later one that differs under its own key.
                mapping.setdefault(placeholder, value)
                if value != mapping[placeholder]:
                    mapping[occurrence_key(field, placeholder, count)] = value
                replacements.append(
                    Replacement(
                        field, span.start, span.end, placeholder, span.entity_type, span.source
                    )
                )
            pieces.append(original[cursor:])
            output[field] = "".join(pieces)
            literal = [
                str(ordinal)
                for ordinal, match in enumerate(PLACEHOLDER_SHAPE.finditer(output[field]))
                if match.start() not in inserted
            ]
            if literal:  # bracketed text of the original that replaced nothing
                mapping[literal_key(field)] = ",".join(literal)
        row = PseudonymisedRow(
            source_system=record.source_system,
            record_id=record.record_id,
            record_type=record.record_type,
            occurred_at=record.occurred_at,
            recorded_at=record.recorded_at,
            sensitivity=record.sensitivity,
            title=output["title"],
            text=output["text"],
            source_url=record.source_url,
            author_role=record.author.role,
            policy_tags=tuple(record.policy_tags),
            linked_person_ids=context.linked_person_ids,
            family_ids=context.family_ids,
            source_content_hash=record_values(record)["content_hash"],
            context_hash=context.context_hash,
            redactor_version=REDACTOR_VERSION,
            vault=self._vault.seal(mapping),
        )
        return PseudonymisedResult(
            row=row,
            replacements=tuple(replacements),
            new_placeholders=tuple(family.registry.drain_new()),
            family_key=family.family_key,
        )

    def _is_other_word(self, key: str) -> bool:
        """A given name of its own or an English word (no misspelling of a member's name)."""
        lists = self._detector.lists
        return lists.is_given(key) or lists.is_english(key)

    @staticmethod
    def _placeholder(
        span: DetectedSpan,
        known: dict[tuple[int, int], tuple[str, str]],
        value: str,
        context: RecordContext,
        on: date,
        is_other_word: Callable[[str], bool],
    ) -> str:
        family = context.family
        hit = known.get((span.start, span.end)) if span.source == "known" else None
        if hit is None and span.entity_type == PERSON:
            # A member's given name misspelt by one letter ("Reubin" for "Reuben") is them.
            member = misspelt_member(family.roster, value, is_other_word)
            if member is not None:
                return known_placeholder(PERSON, member.pseudonym, member.dob, on)
        if hit is None or hit[1] == "author":
            return family.registry.placeholder(span.entity_type, value)
        kind, owner = hit
        try:
            member = family.roster.by_id(owner)
        except KeyError:  # family-level values: shared surnames, addresses, postcodes
            return f"[{owner}]"
        return known_placeholder(kind, member.pseudonym, member.dob, on)


def redact_free_text(detector: Detector, text: str) -> tuple[str, list[Replacement]]:
    """Presidio only, no family knowledge (``caselens redact text``, evaluation): typed
    placeholders numbered within this text. Nothing is stored."""
    from redaction.placeholders import PlaceholderRegistry
    from redaction.vault import generate_vault_key

    registry = PlaceholderRegistry("free-text", PlaceholderKeyer(generate_vault_key()))
    pieces: list[str] = []
    replacements: list[Replacement] = []
    cursor = 0
    for span in detector.detect(text):
        if span.entity_type in KEPT_ENTITIES:
            continue
        placeholder = registry.placeholder(span.entity_type, text[span.start : span.end])
        pieces += [text[cursor : span.start], placeholder]
        cursor = span.end
        replacements.append(
            Replacement("text", span.start, span.end, placeholder, span.entity_type, span.source)
        )
    pieces.append(text[cursor:])
    return "".join(pieces), replacements
