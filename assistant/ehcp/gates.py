"""Quality gates the officer sees beside the draft: gaps, vague wording, conflicts,
judgemental language and empty sections.

Gates describe; they never change the draft. Each finding names the section, the
sentence ids and the citations it is about, so the review page can point at them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.ehcp.model import (
    LA_SECTIONS,
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    EhcpDraft,
    EhcpSection,
    EhcpSentence,
    Gate,
)
from assistant.text import content_words

#: Always vague: the wording leaves amount or timing open, whatever else is said.
_VAGUE_ALWAYS = re.compile(
    r"\b(as needed|as and when|when needed|when required|if needed|if required|as required|"
    r"as necessary|when necessary|where appropriate|where possible|up to|"
    r"as appropriate|at times|from time to time|wherever possible|whenever possible|"
    r"when (he|she|they|[\w\]]+) (can|is|are|feels?|needs? it|wants?|becomes?)\b|"
    r"as (his|her|their) (skills|confidence|independence) (develops?|grows?|improves?)|fading)\b",
    re.IGNORECASE,
)
#: Vague unless the sentence also says how often or for how long (who delivers it or a
#: group size alone does not make "some support" or "access to" specific).
_VAGUE_UNLESS_SPECIFIC = re.compile(
    r"\b(access to|regular(ly)?|opportunit(y|ies) (for|to)|chances? to|some|support|"
    r"additional help|help with|encouraged to|consider)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"\b(\d+|once|twice|three|four|five|daily|weekly|fortnightly|monthly|termly|annually|"
    r"every|each|per)\b[^.]*?\b(minutes?|hours?|times?|days?|weeks?|sessions?|term|year|"
    r"month|morning|lesson|day)\b|\b(daily|weekly|fortnightly|monthly|termly|annually)\b",
    re.IGNORECASE,
)

#: Words that judge the child or family rather than describe what was seen or said.
JUDGEMENTAL = re.compile(
    r"\b(attention[- ]seeking|manipulative|naughty|lazy|defiant|disruptive child|"
    r"difficult (parent|mother|father|family|child)|uncooperative|non[- ]compliant|"
    r"chaotic|feckless|hostile|aggressive parent|unmotivated|spoilt|bad (behaviour|parenting)|"
    r"refuses to engage|disengaged parent|challenging parent|won't try|can't be bothered|"
    r"poor parenting|problem family|troublemaker)\b",
    re.IGNORECASE,
)
_CONTRADICTION = re.compile(
    r"\b(is not (needed|required|necessary)|are not (needed|required)|not required|"
    r"not needed|is sufficient|are sufficient|instead of|rather than)\b",
    re.IGNORECASE,
)


def vague_phrases(text: str) -> list[str]:
    """The vague phrases in ``text`` (empty when the wording is specific)."""
    found = [m.group(0) for m in _VAGUE_ALWAYS.finditer(text)]
    if not _FREQUENCY.search(text):
        found += [m.group(0) for m in _VAGUE_UNLESS_SPECIFIC.finditer(text)]
    return list(dict.fromkeys(p.lower() for p in found))


def judgemental_phrases(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0).lower() for m in JUDGEMENTAL.finditer(text)))


def _drafted(sections: Sequence[EhcpSection], ids: Sequence[str]) -> list[tuple[str, EhcpSentence]]:
    return [
        (s.section, sentence)
        for s in sections
        if s.section in ids
        for sentence in s.sentences
        if sentence.supported
    ]


def need_gaps(sections: Sequence[EhcpSection]) -> list[Gate]:
    """Needs in B/C/D with no specific provision in F/G/H from the same advice or about
    the same thing (three or more shared content words)."""
    provision = [
        (s, content_words(s.text))
        for _, s in _drafted(sections, PROVISION_SECTIONS)
        if not vague_phrases(s.text)
    ]
    gates: list[Gate] = []
    for section, need in _drafted(sections, NEED_SECTIONS):
        words = content_words(need.text)
        matched = any(
            set(need.citations) & set(p.citations) or len(words & p_words) >= 3
            for p, p_words in provision
        )
        if not matched:
            gates.append(
                Gate(
                    kind="need_without_provision",
                    section=section,
                    message=f"Need {need.sid} has no specific provision in F, G or H.",
                    sentence_ids=[need.sid],
                    citations=list(need.citations),
                )
            )
    return gates


def vague_wording(sections: Sequence[EhcpSection]) -> list[Gate]:
    gates = []
    for section, sentence in _drafted(sections, PROVISION_SECTIONS):
        phrases = vague_phrases(sentence.text)
        if phrases:
            gates.append(
                Gate(
                    kind="vague_wording",
                    section=section,
                    message=(
                        f"Provision {sentence.sid} is not specific ("
                        + ", ".join(f"'{p}'" for p in phrases)
                        + "): say how often, for how long, in what group size and who "
                        "delivers it."
                    ),
                    sentence_ids=[sentence.sid],
                    citations=list(sentence.citations),
                )
            )
    return gates


def judgemental_language(sections: Sequence[EhcpSection]) -> list[Gate]:
    ids = [s.section for s in sections if s.section not in LA_SECTIONS and s.section != "K"]
    gates = []
    for section, sentence in _drafted(sections, ids):
        phrases = judgemental_phrases(sentence.text)
        if phrases:
            gates.append(
                Gate(
                    kind="judgemental",
                    section=section,
                    message=(
                        f"Sentence {sentence.sid} uses judgemental wording ("
                        + ", ".join(f"'{p}'" for p in phrases)
                        + "): describe what was seen or said instead."
                    ),
                    sentence_ids=[sentence.sid],
                    citations=list(sentence.citations),
                )
            )
    return gates


def conflicts(sections: Sequence[EhcpSection], advice_type_of_source: dict[int, str]) -> list[Gate]:
    """Provision in one report that contradicts provision about the same thing in another
    ("... is sufficient; twice-weekly therapy is not needed" against "twice a week")."""
    items = _drafted(sections, PROVISION_SECTIONS)
    gates: list[Gate] = []
    seen: set[frozenset[str]] = set()
    for section, sentence in items:
        if not _CONTRADICTION.search(sentence.text):
            continue
        words = content_words(sentence.text)
        mine = set(sentence.citations)
        best: tuple[int, str, EhcpSentence] | None = None
        for other_section, other in items:
            if other is sentence or not set(other.citations) - mine:
                continue
            shared = len(words & content_words(other.text))
            if shared >= 2 and (best is None or shared > best[0]):
                best = (shared, other_section, other)
        if best is None:
            continue
        other = best[2]
        pair = frozenset({sentence.sid, other.sid})
        if pair in seen:
            continue
        seen.add(pair)
        types = sorted(
            {advice_type_of_source.get(n, "other") for n in [*sentence.citations, *other.citations]}
        )
        gates.append(
            Gate(
                kind="conflict",
                section=section,
                message=(
                    f"Advice conflicts: {sentence.sid} and {other.sid} "
                    f"({' vs '.join(t.replace('_', ' ') for t in types)}) disagree; "
                    "the local authority decides which provision to specify."
                ),
                sentence_ids=[sentence.sid, other.sid],
                citations=sorted(set(sentence.citations) | set(other.citations)),
            )
        )
    return gates


def empty_sections(sections: Sequence[EhcpSection]) -> list[Gate]:
    return [
        Gate(kind="empty", section=s.section, message=s.note or f"Section {s.section} is empty.")
        for s in sections
        if s.status == "empty"
    ]


def run_gates(sections: Sequence[EhcpSection], advice_types: dict[int, str]) -> list[Gate]:
    """Every gate, in the order the officer reads them."""
    return [
        *empty_sections(sections),
        *need_gaps(sections),
        *vague_wording(sections),
        *conflicts(sections, advice_types),
        *judgemental_language(sections),
    ]


def review_gates(draft: EhcpDraft) -> list[Gate]:
    """The gates again on what the plan now says (after an officer's edit or rejection):
    edited sections as the officer wrote them, rejected ones as empty. Conflicts between
    reports found in the advice itself (with quotes) stay until the officer records a
    decision at sign-off."""
    view: list[EhcpSection] = []
    for section in draft.sections:
        sentences = section.final_sentences()
        status = section.status
        note = section.note
        if section.review_state == "rejected":
            status = "empty"
            note = (
                f"Section {section.section} was rejected by the officer: {section.review_reason}."
            )
        elif section.review_state == "edited" and sentences:
            status = "drafted" if section.status != "left_for_la" else status
        view.append(
            section.model_copy(update={"sentences": sentences, "status": status, "note": note})
        )
    gates = run_gates(view, {s.n: s.advice_type for s in draft.sources})
    cited = {frozenset(g.citations) for g in gates if g.kind == "conflict"}
    from_advice = [g for g in draft.gates if g.kind == "conflict" and g.quotes]
    return gates + [g for g in from_advice if frozenset(g.citations) not in cited]
