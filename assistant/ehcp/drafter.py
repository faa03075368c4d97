"""Draft sections A–K from the child's permitted, pseudonymised advice.

Extractive: every sentence is a sentence (or numbered provision item) of an advice report
or a view, cited to it, and checked by the same ``CitationVerifier`` as answers; sentences
it does not support are dropped and counted. I and J are never drafted. K lists the advice
used, from the sources' metadata. Quality gates run on the result.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from assistant.contracts import DraftSentence, Generator, NumberedSource, RetrievedChunk
from assistant.ehcp.advice import ADVICE_LABELS, advice_type_of
from assistant.ehcp.conflicts import advice_conflicts
from assistant.ehcp.extract import (
    SECTION_A_MAX,
    Piece,
    read_advice,
    read_views,
    verbatim_in,
    verification_text,
)
from assistant.ehcp.gates import run_gates
from assistant.ehcp.model import (
    LA_SECTIONS,
    LA_TEXT,
    NEED_SECTIONS,
    SECTION_IDS,
    SECTION_TITLES,
    AdviceSource,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
)
from assistant.ehcp.reading import AdviceReader
from assistant.text import content_words, normalise
from assistant.verifier import CitationVerifier
from retrieval.pseudonymised import PseudonymisedRecord
from retrieval.records import as_day
from retrieval.store.types import to_utc

_VIEW_TYPES = ("child_views", "parent_views")
#: Sections a language model may write (when configured): needs and provision. Views (A)
#: stay the child's and parents' own words and outcomes (E) the advice's own wording.
WRITTEN_SECTIONS: frozenset[str] = frozenset({"B", "C", "D", "F", "G", "H1", "H2"})

_EMPTY_NOTES = {
    "A": "No child or parent views were received; they must be gathered before the plan is agreed.",
    "B": "No advice describing special educational needs was received.",
    "C": "No health advice describing needs related to SEN was received.",
    "D": "No social care advice describing needs was received.",
    "E": (
        "The advice states no outcomes; outcomes are for the local authority to agree with "
        "the child and family, one for each need in B, C and D."
    ),
    "K": "No advice was available to this user for this child.",
}
#: Provision sections -> the advice that usually recommends for them (closest advice).
_PROVISION_ADVICE = {
    "F": ("educational_psychology", "speech_and_language", "occupational_therapy"),
    "G": ("paediatric",),
    "H1": ("social_care",),
    "H2": ("social_care",),
}
_PROVISION_KIND = {
    "F": "special educational provision",
    "G": "health provision",
    "H1": "social care provision under section 2 CSDPA 1970",
    "H2": "other social care provision",
}


def _empty_provision_note(sid: str, sources: Sequence[AdviceSource]) -> str:
    """Why a provision section is empty, never claiming the advice recommends nothing:
    caselens may have missed it, so the officer is pointed at the closest advice."""
    closest = [s for s in sources if s.advice_type in _PROVISION_ADVICE[sid]]
    if not closest:
        kinds = sorted({ADVICE_LABELS[t].lower() for t in _PROVISION_ADVICE[sid]})
        return (
            f"No {' or '.join(kinds)} was received, so no {_PROVISION_KIND[sid]} is drafted; "
            "ask for advice before agreeing this section."
        )
    cited = ", ".join(
        f"{ADVICE_LABELS.get(s.advice_type, s.title).lower()} [{s.n}]" for s in closest
    )
    return (
        f"caselens found no {_PROVISION_KIND[sid]} in the advice: the officer must read the "
        f"{cited} and write this section."
    )


def _date_words(value: date | datetime) -> str:
    day = as_day(value)
    return f"{day:%d %B %Y}".lstrip("0")


class EhcpDrafter:
    """Makes an ``EhcpDraft`` from advice records; knows nothing of stores or permissions."""

    generator = "extractive"

    def __init__(
        self,
        verifier: CitationVerifier,
        reader: AdviceReader | None = None,
        writer: Generator | None = None,
    ) -> None:
        self._verifier = verifier
        #: Reads advice by meaning when built with the sentence embedder (``backends``).
        self._reader = reader or AdviceReader()
        #: A language model (Ollama, ``prompts/ehcp_section.v1.txt``) that writes sections
        #: B-D and F-H from the extracted sentences; ``None``: the extracts themselves.
        self._writer = writer
        self.generator = writer.name if writer is not None else "extractive"

    def draft(
        self, child: str, advice: Sequence[PseudonymisedRecord], *, created_by: str
    ) -> EhcpDraft:
        sources = [
            AdviceSource(
                n=i,
                source_system=r.source_system,
                record_id=r.record_id,
                record_type=r.record_type,
                advice_type=advice_type_of(r),
                title=r.title,
                author_role=r.author_role,
                occurred_at=to_utc(r.occurred_at),
                source_url=r.source_url,
            )
            for i, r in enumerate(advice, start=1)
        ]
        numbered = {
            s.n: NumberedSource(s.n, _chunk(r)) for s, r in zip(sources, advice, strict=True)
        }
        candidates: dict[str, list[tuple[Piece, int]]] = {sid: [] for sid in SECTION_IDS}
        for source, record in zip(sources, advice, strict=True):
            if source.advice_type in _VIEW_TYPES:
                pieces = read_views(record.text, source.advice_type)
            else:
                pieces = read_advice(record.text, source.advice_type, self._reader)
            for piece in pieces:
                candidates[piece.section].append((piece, source.n))
        # Section A: the child's own views first, then the parents'; kept short.
        views = sorted(candidates["A"], key=lambda pn: pn[0].speaker != "child")
        candidates["A"] = views[:SECTION_A_MAX]

        dropped: dict[str, int] = {}
        sections: list[EhcpSection] = []
        for sid in SECTION_IDS:
            if sid in LA_SECTIONS:
                sections.append(_la_section(sid))
                continue
            if sid == "K":
                sections.append(_sources_section(sources))
                continue
            sentences, lost = self._verified(sid, candidates[sid], numbered)
            if self._writer is not None and sid in WRITTEN_SECTIONS and sentences:
                written, unsupported = self._written(sid, sentences, numbered)
                lost += unsupported
                if written:  # nothing the model wrote held up: the extracts stay
                    sentences = written
            if lost:
                dropped[sid] = lost
            sections.append(
                EhcpSection(
                    section=sid,
                    title=SECTION_TITLES[sid],
                    status="drafted" if sentences else "empty",
                    sentences=sentences,
                    note=None
                    if sentences
                    else (
                        _empty_provision_note(sid, sources)
                        if sid in _PROVISION_ADVICE
                        else _EMPTY_NOTES[sid]
                    ),
                )
            )
        _link_outcomes(sections)
        advice_types = {s.n: s.advice_type for s in sources}
        gates = run_gates(sections, advice_types)
        between = advice_conflicts(
            self._reader,
            [
                (s.n, s.advice_type, verification_text(r.text))
                for s, r in zip(sources, advice, strict=True)
            ],
        )
        cited_pairs = {frozenset(g.citations) for g in gates if g.kind == "conflict"}
        gates += [g for g in between if frozenset(g.citations) not in cited_pairs]
        return EhcpDraft(
            draft_id=f"EHCP-{uuid.uuid4().hex[:12]}",
            child=child,
            created_at=datetime.now(UTC),
            created_by=created_by,
            generator=self.generator,
            sections=sections,
            sources=sources,
            gates=gates,
            dropped=dropped,
        )

    def _written(
        self,
        section: str,
        extracts: Sequence[EhcpSentence],
        numbered: dict[int, NumberedSource],
    ) -> tuple[list[EhcpSentence], int]:
        """The section as the model writes it from this section's extracts, each sentence
        checked by the citation verifier against the whole cited advice (unsupported ones
        dropped and counted); quote marks kept only round the advice's own words."""
        assert self._writer is not None
        by_source: dict[int, list[str]] = {}
        for sentence in extracts:
            for n in sentence.citations:
                by_source.setdefault(n, []).append(sentence.text)
        given = [
            NumberedSource(n, replace(numbered[n].chunk, text=" ".join(texts)))
            for n, texts in sorted(by_source.items())
        ]
        task = f"section {section} of the plan: {SECTION_TITLES[section]}."
        kept: list[EhcpSentence] = []
        lost = 0
        for draft in self._writer.generate(task, given):
            text = _unquoted_unless_verbatim(draft.text, draft.citations, numbered)
            verdict = self._verifier.verify_one(DraftSentence(text, draft.citations), numbered)
            if not verdict.supported or not verdict.citations:
                lost += 1
                continue
            kept.append(
                EhcpSentence(
                    text=text,
                    citations=list(verdict.citations),
                    sid=f"{section}{len(kept) + 1}",
                )
            )
        return kept, lost

    def _verified(
        self,
        section: str,
        pieces: Sequence[tuple[Piece, int]],
        numbered: dict[int, NumberedSource],
    ) -> tuple[list[EhcpSentence], int]:
        """Merge repeated statements (one sentence, every source cited), then verify."""
        merged: dict[tuple[str | None, str], tuple[Piece, list[int]]] = {}
        for piece, n in pieces:
            key = (piece.speaker, normalise(piece.text))
            if key in merged:
                if n not in merged[key][1]:
                    merged[key][1].append(n)
            else:
                merged[key] = (piece, [n])
        kept: list[EhcpSentence] = []
        lost = 0
        for piece, cited in merged.values():
            check = piece.text.strip("\u201c\u201d")
            verdict = self._verifier.verify_one(DraftSentence(check, tuple(cited)), numbered)
            if not verdict.supported:
                lost += 1
                continue
            kept.append(
                EhcpSentence(
                    text=piece.text,
                    citations=list(verdict.citations),
                    supported=True,
                    kind="view"
                    if piece.kind == "view"
                    else ("outcome" if piece.kind == "outcome" else "extract"),
                    speaker=piece.speaker,
                    sid=f"{section}{len(kept) + 1}",
                )
            )
        return kept, lost


def _unquoted_unless_verbatim(
    text: str, cited: Sequence[int], numbered: dict[int, NumberedSource]
) -> str:
    """Quote marks only round words that a cited source has word for word."""

    def keep(match: re.Match[str]) -> str:
        inner = match.group(2)
        for n in cited:
            if n in numbered and verbatim_in(inner, numbered[n].chunk.text):
                return match.group(0)
        return inner

    return re.sub(r"([\u201c\"])([^\u201d\"]+)([\u201d\"])", keep, text)


def _chunk(record: PseudonymisedRecord) -> RetrievedChunk:
    return RetrievedChunk(
        chunk_id=f"{record.source_system}:{record.record_id}:ehcp",
        source_system=record.source_system,
        record_id=record.record_id,
        record_type=record.record_type,
        occurred_at=record.occurred_at,
        title=record.title,
        text=verification_text(record.text),
        source_url=record.source_url,
        author_role=record.author_role,
    )


def _la_section(sid: str) -> EhcpSection:
    return EhcpSection(
        section=sid,
        title=SECTION_TITLES[sid],
        status="left_for_la",
        sentences=[EhcpSentence(text=LA_TEXT, kind="la_note", sid=f"{sid}1")],
        note="A local authority decision: never drafted by caselens.",
    )


def _sources_section(sources: Sequence[AdviceSource]) -> EhcpSection:
    sentences = [
        EhcpSentence(
            text=(
                f"{ADVICE_LABELS.get(s.advice_type, s.title)}"
                f"{', ' + s.author_role if s.author_role else ''}, {_date_words(s.occurred_at)}."
            ),
            citations=[s.n],
            kind="source_list",
            sid=f"K{s.n}",
        )
        for s in sources
    ]
    return EhcpSection(
        section="K",
        title=SECTION_TITLES["K"],
        status="drafted" if sentences else "empty",
        sentences=sentences,
        note=None if sentences else _EMPTY_NOTES["K"],
    )


def _link_outcomes(sections: list[EhcpSection]) -> None:
    """Each outcome in E names the needs (B/C/D) it addresses: same advice, or shared words."""
    needs = [
        sentence
        for section in sections
        if section.section in NEED_SECTIONS
        for sentence in section.sentences
    ]
    for section in sections:
        if section.section != "E":
            continue
        for outcome in section.sentences:
            words = content_words(outcome.text)
            outcome.need_ids = [
                need.sid
                for need in needs
                if set(need.citations) & set(outcome.citations)
                or len(words & content_words(need.text)) >= 3
            ]
