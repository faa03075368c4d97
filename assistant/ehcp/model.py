"""The EHCP draft contract: sections A–K, their status, cited sentences and review state.

Follows ARCHITECTURE.md's "EHCP draft" shape and the statutory section structure (SEND
Regulations 2014 reg. 12; SEND Code of Practice 9.62). Text here is pseudonymised
(``[Child 1]``); re-identification happens only at display/export for an authorised officer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.text import content_words, split_sentences

SectionStatus = Literal["drafted", "left_for_la", "empty"]
ReviewState = Literal["ai_draft", "edited", "accepted", "rejected"]
SentenceKind = Literal["extract", "view", "outcome", "source_list", "la_note"]
GateKind = Literal["need_without_provision", "vague_wording", "conflict", "judgemental", "empty"]

#: Section id -> statutory heading, in plan order.
SECTION_TITLES: dict[str, str] = {
    "A": "The views, interests and aspirations of the child and their parents",
    "B": "Special educational needs",
    "C": "Health needs related to special educational needs",
    "D": "Social care needs related to special educational needs or disability",
    "E": "Outcomes",
    "F": "Special educational provision",
    "G": "Health provision",
    "H1": "Social care provision (section 2 Chronically Sick and Disabled Persons Act 1970)",
    "H2": "Other social care provision",
    "I": "Placement",
    "J": "Personal budget",
    "K": "Advice and information used",
}
SECTION_IDS: tuple[str, ...] = tuple(SECTION_TITLES)
#: Local-authority decisions: never drafted.
LA_SECTIONS: frozenset[str] = frozenset({"I", "J"})
NEED_SECTIONS: tuple[str, ...] = ("B", "C", "D")
PROVISION_SECTIONS: tuple[str, ...] = ("F", "G", "H1", "H2")
LA_TEXT = "For the local authority to decide."


class EhcpSentence(BaseModel):
    """One drafted sentence; ``citations`` are numbers into ``EhcpDraft.sources``."""

    text: str
    citations: list[int] = Field(default_factory=list)
    supported: bool = True
    kind: SentenceKind = "extract"
    #: Section A: whose words ("child" | "parent"); E: ids of the needs an outcome addresses.
    speaker: str | None = None
    need_ids: list[str] = Field(default_factory=list)
    #: Stable id within the draft ("B1", "F3", ...), used by gates and links.
    sid: str = ""


class Gate(BaseModel):
    """A quality finding shown to the officer (never hidden, never auto-fixed)."""

    kind: GateKind
    section: str
    message: str
    sentence_ids: list[str] = Field(default_factory=list)
    citations: list[int] = Field(default_factory=list)
    #: The advice sentences the finding is about, word for word (pseudonymised as stored),
    #: each with the source it comes from: [(n, sentence)].
    quotes: list[tuple[int, str]] = Field(default_factory=list)


class EhcpSection(BaseModel):
    section: str
    title: str
    status: SectionStatus
    sentences: list[EhcpSentence] = Field(default_factory=list)
    #: Why a section is empty or left for the local authority (shown, not hidden).
    note: str | None = None
    review_state: ReviewState = "ai_draft"
    editor: str | None = None
    reviewed_at: datetime | None = None
    #: The officer's text when edited; the AI text stays in ``sentences``.
    edited_text: str | None = None
    #: Unified diff AI text -> final text, and their similarity (0..1), kept on review.
    diff: str | None = None
    similarity: float | None = None
    #: Why the officer rejected the section (required to reject).
    review_reason: str | None = None

    @property
    def ai_text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def final_text(self) -> str:
        """What the signed-off plan says for this section."""
        if self.review_state == "rejected":
            return ""
        if self.review_state == "edited" and self.edited_text is not None:
            return self.edited_text
        return self.ai_text

    def final_sentences(self) -> list[EhcpSentence]:
        """The sentences the plan says, with their citations: the AI's when accepted or
        not yet reviewed; none when rejected; the officer's when edited, each keeping the
        citations of the AI sentence it still says (most of its content words), so an
        edit does not lose the advice it came from."""
        if self.review_state == "rejected":
            return []
        if self.review_state != "edited" or self.edited_text is None:
            return list(self.sentences)
        out: list[EhcpSentence] = []
        for i, text in enumerate(split_sentences(self.edited_text) or [self.edited_text]):
            words = content_words(text)
            best: tuple[float, EhcpSentence] | None = None
            for ai in self.sentences:
                ai_words = content_words(ai.text)
                if not ai_words or not words:
                    continue
                share = len(words & ai_words) / len(ai_words)
                if share >= 0.6 and (best is None or share > best[0]):
                    best = (share, ai)
            out.append(
                EhcpSentence(
                    text=text,
                    citations=list(best[1].citations) if best else [],
                    kind=best[1].kind if best else "extract",
                    speaker=best[1].speaker if best else None,
                    sid=f"{self.section}{i + 1}",
                )
            )
        return out


class AdviceSource(BaseModel):
    """A numbered piece of advice the draft cites (metadata only; text stays in the store)."""

    n: int
    source_system: str
    record_id: str
    record_type: str
    advice_type: str
    title: str
    author_role: str | None = None
    #: UTC (a date means midnight UTC), so a stored draft reads back identical.
    occurred_at: datetime
    source_url: str = ""


class EhcpDraft(BaseModel):
    draft_id: str
    child: str
    created_at: datetime
    created_by: str
    #: Who may change the draft when it is not ``created_by``: the officer it was handed
    #: to (``EhcpService.reassign``).
    owner: str | None = None
    generator: str = "extractive"
    #: Always true for drafts made here: the AI never marks anything final.
    ai_assisted: bool = True
    status: Literal["draft", "signed_off"] = "draft"
    signed_off_by: str | None = None
    signed_off_at: datetime | None = None
    #: Sections signed off although rejected, empty or with an open blocking finding:
    #: the officer's reason for each (audited, printed in the document).
    sign_off_reasons: dict[str, str] = Field(default_factory=dict)
    sections: list[EhcpSection]
    sources: list[AdviceSource] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    #: Sentences the verifier dropped (unsupported), by section: counted, not shown as fact.
    dropped: dict[str, int] = Field(default_factory=dict)

    def section(self, section_id: str) -> EhcpSection:
        for s in self.sections:
            if s.section == section_id:
                return s
        raise KeyError(f"no section {section_id!r}; sections are {list(SECTION_IDS)}")

    def source(self, n: int) -> AdviceSource:
        for s in self.sources:
            if s.n == n:
                return s
        raise KeyError(f"no source [{n}] in draft {self.draft_id}")
