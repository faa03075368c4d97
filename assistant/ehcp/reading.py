"""Reading advice reports written in any layout: needs, provision, outcomes and views.

Why this shape: professionals write EHC advice to their own templates (numbered
sections, "Recommendations:", lettered or bulleted lists, a table flattened to lines,
"It is recommended that...", "X would benefit from...", a label per line). The reader
first recovers the layout (headings, inline labels, list items) and decides what each
heading introduces *by meaning*: the heading is compared, through the sentence embedder,
with short descriptions of heading kinds kept in ``advice_reading.yaml``. Then each
sentence is routed by its context and by general grammatical cues (modal verbs of
recommendation, quantities with units and frequencies, who delivers), never by word
lists written for one report. Provision goes to F, G, H1 or H2 by an explicit label
("H1", "Health provision"), else by meaning (section descriptions, with the report's
profession as a prior). Every piece is the advice's own sentence, word for word, so
quantities are never changed.

Without an embedder (unit tests, tools with no model) the same descriptions are matched
by shared words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
import yaml

from assistant.embedder import TextEmbedder
from assistant.text import content_words, split_sentences

DATA_FILE = Path(__file__).with_name("advice_reading.yaml")


class TermExpander(Protocol):
    """Spells practice abbreviations out (``retrieval.glossary.Glossary.expand_note``)."""

    def expand_note(self, text: str) -> str: ...


# --- layout ----------------------------------------------------------------------------------

#: A list marker: "-", "•", "1.", "(1)", "2)", "a)", "(b)", "iv)".
_MARKER = re.compile(r"^(?:[-\u2022*\u2013\u00b7]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}\))\s+")
_NUMBER = re.compile(r"^\(?(\d{1,2})[.)]\s+")
#: "Label: rest" with a short label (up to six words, no sentence punctuation).
_LABEL = re.compile(r"^([A-Za-z\[][^:.!?]{0,60}?)\s*:\s*(.*)$")
#: A section letter as a label or heading: "H1", "H2 (other social care)", "Section F".
_SECTION_LABEL = re.compile(r"^(?:section\s+)?(F|G|H1|H2)\b(?:\s*\(.*\))?\s*:?\s*$", re.I)
#: Form fields and sign-off lines: never needs, provision or views.
_FORM_FIELD = re.compile(
    r"^(name|child|pupil|dob|d\.o\.b|date( of (report|birth|assessment))?|school|setting|"
    r"nhs( no| number)?|upn|address|author|therapist|ot|ep|slt|salt|seen|assessed|"
    r"contact|tel|telephone|email|e-mail|report (by|date)|completed|signed|cc|copy to|"
    r"gp|consultant|year group|languages?)\b",
    re.I,
)
_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\[DATE[^\]]*\]|\[DOB[^\]]*\]")
_ADMIN_SENTENCE = re.compile(
    r"^(advice for the|i am happy to (discuss|attend)|please (contact|do not hesitate)|"
    r"this advice is based|this report is based|outcomes should be reviewed|happy to attend|"
    r"the views of the child and family were taken)",
    re.I,
)


@dataclass(frozen=True)
class Line:
    """One line of a report with its layout: the text after any list marker, whether it
    is a list item, its heading kind, and an inline label (``Label: rest``)."""

    raw: str
    text: str
    item: bool
    heading: bool
    label: str | None
    rest: str


def _is_heading(text: str, item: bool, numbered: int | None, next_number: int | None) -> bool:
    words = text.split()
    if not words or text[-1] in ".!?;,\"'\u201d\u2019":
        return False
    if text.endswith(":"):
        return len(words) <= 14
    if len(words) > 8:
        return False
    if numbered is not None:
        # "1. Background" is a heading; "1. Right hemiplegic ..." followed by "2. ..." a list.
        return next_number != numbered + 1
    if item:
        return False
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and (text[0].isupper() or text.isupper())


def layout(text: str) -> list[Line]:
    raw_lines = [ln.strip() for ln in text.splitlines()]
    raw_lines = [ln for ln in raw_lines if ln]
    numbers = [int(m.group(1)) if (m := _NUMBER.match(ln)) else None for ln in raw_lines]
    out: list[Line] = []
    for i, raw in enumerate(raw_lines):
        marker = _MARKER.match(raw)
        body = raw[marker.end() :].strip() if marker else raw
        nxt = next((n for n in numbers[i + 1 : i + 2]), None)
        label: str | None = None
        rest = body
        found = _LABEL.match(body)
        if found and len(found.group(1).split()) <= 6:
            label, rest = found.group(1).strip(), found.group(2).strip()
        # "Label: text" is content under its label; "Label:" alone is a heading.
        heading = not rest if label else _is_heading(body, bool(marker), numbers[i], nxt)
        row = body.count("|") >= 2  # a table row flattened to text: an item of the table
        if row:
            heading, label, rest = False, None, body
        out.append(Line(raw, body, bool(marker) or row, heading, label, rest))
    return out


# --- cues ------------------------------------------------------------------------------------

#: Modal and reporting verbs of recommendation (general English, any profession).
RECOMMENDS = re.compile(
    r"\b(i (would )?(strongly )?recommend|it is (strongly )?recommended|(is|are) recommended|"
    r"i (would )?(suggest|advise)|would benefit from|will benefit from|benefits? from|"
    r"should (be )?(receive|have|attend|be offered|be given|be provided|be taught|be reviewed|"
    r"be supported|access|continue|be seen|visit|deliver|provide|be)|should\b|"
    r"(he|she|they|[a-z\]]+) (will|would) need|needs to (be|have|receive)|requires?\b|"
    r"(is|are) to be (provided|delivered|used|offered|given|reviewed|taught)|to be (provided|"
    r"delivered|used|offered|given|reviewed|made available)|provision should|"
    r"must (be|have|receive)|would be (helpful|beneficial|useful)|it is important that|"
    r"needs (a|an|access to)\b)",
    re.I,
)
#: A directive to staff or services ("Staff to use ...", "School should provide ..."): a
#: recommendation in the grammar of a plan.
DIRECTIVE = re.compile(
    r"\b(staff|school|adults?|teachers?|TAs?|teaching assistants?|parents?|the family|"
    r"[a-z]+ workers?|therapists?) (to|should|must|will need to) (use|provide|deliver|give|"
    r"support|visit|offer|review|attend|ensure|model|check|allow)\b",
    re.I,
)
#: A recommendation against something: a view, not provision.
NEGATED = re.compile(
    r"\b(not (recommend|required|needed|necessary|sufficient|appropriate|indicated)|"
    r"would not|should not|do not (recommend|think)|does not need|is not needed|"
    r"no longer|cautious about|(un)?necessary at this (stage|time))\b",
    re.I,
)
#: How much, how often, how long, what group size, who delivers.
QUANTITY = re.compile(
    r"\b(\d+(\.\d+)?\s*%|\d+(\.\d+)?\s*(-|to)?\s*(minutes?|mins?|hours?|hrs?|sessions?|"
    r"times?|days?|weeks?|months?|terms?|years?|pupils?|children|seconds?)|"
    r"(once|twice|three times|four times|\d+ times)\b|daily|weekly|fortnightly|monthly|"
    r"termly|annually|every (day|morning|afternoon|week|fortnight|month|term|half term|year|"
    r"\d+ \w+)|each (day|morning|week|term|year|lesson)|per (day|week|fortnight|month|term|"
    r"year)|a (day|week|month|term|year)\b|1:1|one-to-one|no more than \d+|within \d+|"
    r"(delivered|provided|led|run|overseen|set|supervised|reviewed) by)",
    re.I,
)
#: How often, how long or who delivers (no percentages or scores): what makes a listed
#: item provision even under a heading of no known kind.
HOW_OFTEN = re.compile(
    r"\b(\d+\s*(-|to)?\s*(minutes?|mins?|hours?|hrs?|sessions?|times?)|"
    r"(once|twice|three times|four times|\d+ ?x)\b|daily|weekly|fortnightly|monthly|termly|"
    r"every (day|morning|afternoon|week|fortnight|month|term|half term|\d+ \w+)|"
    r"each (day|morning|week|term|lesson)|per (day|week|fortnight|month|term)|"
    r"(delivered|provided|led|run|overseen|supervised) by)",
    re.I,
)
#: A report's title line ("Health advice", "OT ASSESSMENT REPORT"): not a part of it.
_TITLE = re.compile(r"\b(advice|report|assessment|letter)\b", re.I)
_OUTCOME_START = re.compile(
    r"^(by (the end of|the age of|[A-Z\[]|\w+ \d{4}|year|key stage|july|summer|spring|"
    r"autumn|christmas|easter|the next)|in (one|two|three|\d+) (year|term)s?,?|"
    r"over the next)",
    re.I,
)
_OUTCOME = re.compile(
    r"\b(will be able to|will (be|have|follow|read|write|use|tell|retell|"
    r"manage|say|ask|communicate|access|join|attend|change|take part)\b)",
    re.I,
)
#: The author's own opinion or a reference to another's: for the conflict gate, not a
#: statement of need or provision.
OPINION = re.compile(
    r"\b(in my (clinical |professional )?(opinion|view)|i am aware|i would welcome|"
    r"i would be cautious|i (consider|believe|think) that|(view|opinion) differs)\b",
    re.I,
)
#: An observation that is within the typical range: not a need.
_TYPICAL = re.compile(
    r"\b(normal|no concerns?|age[- ]appropriate|within the (average|typical))\b", re.I
)
_NEED_CUES = re.compile(
    r"\b(difficult(y|ies)|struggles?|struggling|delay(ed)?|below|behind|anxiety|anxious|"
    r"dysregulat\w*|fatigue[sd]?|tired(ness)?|needs? (help|support|adult)|unclear|weak(ness)?|"
    r"reduced|limited|impair\w*|disorder|diagnos\w*|very low|low (range|confidence|self)|"
    r"centile|unable|cannot|can't|pain|withdraw\w*|poor(ly)?|slow|effortful|lacks?|"
    r"impact|affect\w*|elevated|significant|disab\w*)\b",
    re.I,
)
#: A statement that there are no needs (or none beyond something) is still about needs.
_NO_NEEDS = re.compile(
    r"\bno ((further|other|additional|social care|identified|unmet|specific|current)\s+){0,3}"
    r"needs?\b",
    re.I,
)
#: "The provision set out below", "the following": a lead-in, not provision.
_LEAD_IN = re.compile(r"\b(set out below|as follows|the following|listed below)\b", re.I)
#: A view or an opinion that may disagree with another report.
STANCE = re.compile(
    r"\b(in my (clinical |professional )?(opinion|view)|i (would|do) not recommend|"
    r"i would (be cautious|recommend|suggest)|i (consider|believe|think)|(view|opinion) differs|"
    r"disagree|do not agree|would not be sufficient|(is|are) not (needed|required|necessary|"
    r"sufficient)|not required|(is|are) sufficient|rather than|instead of|requires|"
    r"best understood|more than can be explained)\b",
    re.I,
)


def _words_outside_placeholders(text: str) -> int:
    return len(re.sub(r"\[[^\]]*\]", " ", text).split())


# --- meaning ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=2)
def _data(path: str) -> dict[str, dict[str, list[str]]]:
    loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not {"headings", "sections"} <= set(loaded):
        raise ValueError(f"{path}: needs 'headings' and 'sections'")
    for part in ("headings", "sections"):
        for kind, items in loaded[part].items():
            if not items or not all(isinstance(i, str) and i.strip() for i in items):
                raise ValueError(f"{path}: {part}.{kind} needs a list of descriptions")
    return loaded


#: Profession of the report -> (section, prior added to its similarity).
_SECTION_PRIOR: dict[str, dict[str, float]] = {
    "educational_psychology": {"F": 0.2},
    "speech_and_language": {"F": 0.2},
    "occupational_therapy": {"F": 0.2},
    "paediatric": {"G": 0.2},
    "social_care": {"H1": 0.06, "H2": 0.06},
}
_FALLBACK_SECTION = {"paediatric": "G", "social_care": "H2"}
#: Lexical cues used without an embedder (first match wins).
_LEXICAL_SECTION: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "H1",
        re.compile(
            r"\b(short breaks?|respite|play scheme|adaptations? at home|"
            r"personal care at home)\b",
            re.I,
        ),
    ),
    (
        "H2",
        re.compile(
            r"\b(carer'?s (needs )?assessment|family support worker|social worker|"
            r"parenting|direct payments?)\b",
            re.I,
        ),
    ),
    (
        "G",
        re.compile(
            r"\b(paediatric\w*|nurse|medical|medication|continence|sleep programme|"
            r"gp|camhs|physiotherap\w*|orthotic\w*|clinic|hospital)\b",
            re.I,
        ),
    ),
)


class AdviceReader:
    """Reads one advice report into pieces (see ``read``); ``embedder`` and ``glossary``
    are optional (word overlap and no abbreviation expansion without them)."""

    def __init__(
        self,
        embedder: TextEmbedder | None = None,
        glossary: TermExpander | None = None,
        *,
        data_file: Path = DATA_FILE,
        heading_threshold: float = 0.5,
    ) -> None:
        self._embedder = embedder
        self._glossary = glossary
        data = _data(str(data_file))
        self._headings = data["headings"]
        self._sections = data["sections"]
        self._heading_threshold = heading_threshold
        self._prototype_vectors: dict[str, tuple[list[str], np.ndarray]] = {}

    # meaning helpers ----------------------------------------------------------------------

    def _expand(self, text: str) -> str:
        return self._glossary.expand_note(text) if self._glossary is not None else text

    def vectors(self, texts: Sequence[str]) -> np.ndarray | None:
        """Unit vectors of ``texts`` (abbreviations spelled out), or ``None`` without a model."""
        if self._embedder is None or not texts:
            return None
        return self._embedder.encode([self._expand(t) for t in texts])

    def _prototypes(self, part: str) -> tuple[list[str], np.ndarray] | None:
        if self._embedder is None:
            return None
        if part not in self._prototype_vectors:
            table = self._headings if part == "headings" else self._sections
            kinds = [k for k, items in table.items() for _ in items]
            texts = [t for items in table.values() for t in items]
            self._prototype_vectors[part] = (kinds, self._embedder.encode(texts))
        return self._prototype_vectors[part]

    def heading_kind(self, heading: str) -> str:
        """needs | findings | provision | outcomes | background | views | other."""
        text = re.sub(r"^\(?\d{1,2}[.)]\s*", "", heading).strip().rstrip(":").strip()
        text = re.sub(r"\s*\(.*?\)\s*", " ", text).strip() or text
        if not text:
            return "other"
        lowered = text.lower()
        table = self._headings
        for kind, items in table.items():  # an exact heading needs no model
            if lowered in items:
                return kind
        protos = self._prototypes("headings")
        if protos is not None:
            kinds, matrix = protos
            sims = matrix @ self.vectors([text])[0]  # type: ignore[index]
            best = int(np.argmax(sims))
            return kinds[best] if float(sims[best]) >= self._heading_threshold else "other"
        words = content_words(text)
        best_kind, best_share = "other", 0.0
        for kind, items in table.items():
            for item in items:
                share = len(words & content_words(item)) / max(1, len(content_words(item)))
                if share > best_share:
                    best_kind, best_share = kind, share
        return best_kind if best_share >= 0.5 else "other"

    def provision_section(self, sentence: str, advice_type: str) -> str:
        """F, G, H1 or H2 by meaning (with the report's profession as a prior)."""
        protos = self._prototypes("sections")
        if protos is None:
            for section, pattern in _LEXICAL_SECTION:
                if pattern.search(sentence):
                    return section
            return _FALLBACK_SECTION.get(advice_type, "F")
        kinds, matrix = protos
        sims = matrix @ self.vectors([sentence])[0]  # type: ignore[index]
        prior = _SECTION_PRIOR.get(advice_type, {})
        best: dict[str, float] = {}
        for kind, sim in zip(kinds, sims, strict=True):
            best[kind] = max(best.get(kind, -1.0), float(sim))
        return max(best, key=lambda k: best[k] + prior.get(k, 0.0))

    # reading --------------------------------------------------------------------------------

    def read(self, text: str, advice_type: str) -> list[Piece]:
        """Needs (B/C/D), provision (F/G/H1/H2) and outcomes (E) stated in one report."""
        pieces: list[Piece] = []
        need_default = _NEED_SECTION.get(advice_type, "B")
        context = "other"
        section_hint: str | None = None
        need_section = need_default
        top_level = "other"
        seen_content = False
        lines = layout(text)
        for i, line in enumerate(lines):
            as_item = False
            if line.heading:
                heading = line.label or line.text
                explicit = _SECTION_LABEL.match(heading.rstrip(":"))
                if explicit:
                    context, section_hint = "provision", explicit.group(1).upper()
                    continue
                kind = self.heading_kind(heading)
                if not seen_content and _TITLE.search(heading) and not self._known_heading(heading):
                    kind = "other"  # the report's title ("Teacher advice"), not a part of it
                numbered = bool(_NUMBER.match(line.raw)) or heading.isupper()
                nxt = lines[i + 1] if i + 1 < len(lines) else None
                in_run = (
                    nxt is None
                    or nxt.heading
                    or nxt.item
                    or nxt.label is not None
                    or not nxt.text.endswith((".", "!", "?"))
                )
                if kind == "other" and not numbered and top_level != "other" and in_run:
                    # Inside a known part, a short unpunctuated line of no known kind is an
                    # item written without a marker ("Writing slope for all written work"),
                    # or a sub-heading (too short to be anything: dropped as content).
                    as_item = True
                elif kind == "other" and not numbered and top_level != "other":
                    continue  # a sub-heading before prose: the part's context goes on
                else:
                    context = kind
                    section_hint = _provision_hint(heading) if kind == "provision" else None
                    need_section = _need_hint(heading) or need_default
                    if numbered or kind != "other":
                        top_level = kind
                    continue
            seen_content = True
            if line.label and _FORM_FIELD.match(line.label):
                continue
            label_kind = None
            body = line.text
            if line.label:
                explicit = _SECTION_LABEL.match(line.label)
                label_kind = "provision" if explicit else self._label_kind(line.label)
                if label_kind in ("needs", "provision", "outcomes") and _is_structural(line.label):
                    body = line.rest
            here = label_kind if label_kind in ("needs", "provision", "outcomes") else context
            for n, sentence in enumerate(split_sentences(body)):
                piece = self._route(
                    sentence.strip(),
                    here,
                    first=(n == 0) or label_kind == "provision",
                    item=line.item or as_item,
                    labelled=label_kind == "needs",
                    advice_type=advice_type,
                    section_hint=section_hint,
                    need_section=(_need_hint(line.label or "") or need_section),
                )
                if piece is not None:
                    pieces.append(piece)
        return pieces

    def _known_heading(self, heading: str) -> bool:
        text = re.sub(r"^\(?\d{1,2}[.)]\s*", "", heading).strip().rstrip(":").strip().lower()
        return any(text in items for items in self._headings.values()) or bool(
            _SECTION_LABEL.match(heading.rstrip(":"))
        )

    def _label_kind(self, label: str) -> str:
        lowered = label.lower()
        if re.search(r"\b(diagnos[ie]s|needs?)\b", lowered):
            return "needs"
        if re.search(r"\b(recommend\w*|provision)\b", lowered):
            return "provision"
        if re.search(r"\b(outcomes?|targets?)\b", lowered):
            return "outcomes"
        return "other"

    def _route(
        self,
        sentence: str,
        context: str,
        *,
        first: bool,
        item: bool,
        labelled: bool = False,
        advice_type: str,
        section_hint: str | None,
        need_section: str,
    ) -> Piece | None:
        if not sentence or _ADMIN_SENTENCE.match(sentence):
            return None
        if _words_outside_placeholders(sentence) < 3:
            return None  # a name, a signature, a lone heading word
        if context in ("background", "views"):
            return None
        if _NO_NEEDS.search(sentence) and context != "provision":
            # "No social care needs beyond ...": a statement about needs, never nothing.
            return Piece(
                "D" if advice_type == "social_care" else need_section, _finish(sentence), "need"
            )
        outcome = _OUTCOME_START.match(sentence) and _OUTCOME.search(sentence)
        if outcome or (context == "outcomes" and _OUTCOME.search(sentence)):
            return Piece("E", _finish(sentence), "outcome")
        recommends = bool(RECOMMENDS.search(sentence)) and not NEGATED.search(sentence)
        if context == "provision":
            if _LEAD_IN.search(sentence) or (NEGATED.search(sentence) and not item):
                return None
            if OPINION.search(sentence) or re.match(r"no\b", sentence, re.I):
                return None
            if (
                not item
                and _NEED_CUES.search(sentence)
                and not recommends
                and not QUANTITY.search(sentence)
            ):
                # Prose under "Summary and recommendations" that states a need.
                return Piece(need_section, _finish(sentence), "need")
            if first or recommends or QUANTITY.search(sentence) or DIRECTIVE.search(sentence):
                section = section_hint or self.provision_section(sentence, advice_type)
                return Piece(section, _finish(sentence), "provision")
            return None
        strong = (recommends or DIRECTIVE.search(sentence)) and (
            QUANTITY.search(sentence)
            or re.search(
                r"\b(recommend\w*|benefit from|should (receive|be offered|provide|have|use|"
                r"be given)|be offered|would be (helpful|beneficial|useful)|it is important that|"
                r"needs? (a|an|access to|to have)\b)",
                sentence,
                re.I,
            )
            or DIRECTIVE.search(sentence)
        )
        if strong and not _LEAD_IN.search(sentence) and not OPINION.search(sentence):
            section = self.provision_section(sentence, advice_type)
            return Piece(section, _finish(sentence), "provision")
        if OPINION.search(sentence):
            return None  # an opinion about a need: for the conflict gate, not section B
        if (
            context == "other"
            and item
            and HOW_OFTEN.search(sentence)
            and not _NEED_CUES.search(sentence)
        ):
            # A listed item (or table row) saying how often, how long or who delivers it,
            # under a heading of no known kind: provision.
            return Piece(
                self.provision_section(sentence, advice_type), _finish(sentence), "provision"
            )
        if context == "needs":
            if item or labelled or _NEED_CUES.search(sentence):
                return Piece(need_section, _finish(sentence), "need")
            return None
        if context == "findings" and item and not _TYPICAL.search(sentence):
            return Piece(need_section, _finish(sentence), "need")
        if context in ("findings", "other") and _NEED_CUES.search(sentence):
            if _TYPICAL.search(sentence) and not re.search(r"\b(below|difficult)", sentence, re.I):
                return None
            return Piece(need_section, _finish(sentence), "need")
        return None

    def stances(self, text: str) -> list[str]:
        """Sentences giving the author's view or recommending for or against something:
        what two reports can disagree about."""
        found: list[str] = []
        for line in layout(text):
            if line.heading:
                continue
            for sentence in split_sentences(line.text):
                if STANCE.search(sentence) or RECOMMENDS.search(sentence):
                    found.append(sentence.strip())
        return found


@dataclass(frozen=True)
class Piece:
    """One extracted sentence, the section it belongs in, and what kind it is."""

    section: str
    text: str
    kind: str  # need | provision | outcome | view
    speaker: str | None = None


_NEED_SECTION = {"paediatric": "C", "social_care": "D"}


def _provision_hint(heading: str) -> str | None:
    lowered = heading.lower()
    if re.search(r"\bhealth\b", lowered):
        return "G"
    if re.search(r"\b(special )?educational\b", lowered):
        return "F"
    return None


def _need_hint(heading: str) -> str | None:
    lowered = heading.lower()
    if re.search(r"\b(health needs?|medical|diagnos[ie]s)\b", lowered):
        return "C"
    if re.search(r"\bsocial care\b", lowered):
        return "D"
    return None


def _is_structural(label: str) -> bool:
    """A label that only names the part ("Needs", "Recommended provision"), not a topic."""
    return bool(
        re.fullmatch(
            r"(presenting |main |identified |recommended |health |social care )?"
            r"(needs?|provision|recommendations?|outcomes?|targets?)",
            label.strip().lower(),
        )
    )


def _finish(text: str) -> str:
    text = text.strip().rstrip(";,")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?\"'\u201d" else f"{text}."
