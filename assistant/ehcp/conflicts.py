"""Disagreements between advice reports, found by what they recommend, not shared words.

Two ways a disagreement shows in advice:

- one professional names another's advice and sets their own view against it ("I note
  the physiotherapist has recommended...; in my opinion..."): the
  sentence mentions another profession whose report is among the sources, with a word
  of difference or reference ("differs", "disagree", "has recommended", "aware that",
  "however"). The other report's closest view (by meaning) is the other side;
- two reports state views about the same thing (close in meaning, by the sentence
  embedder) and one recommends for it while the other speaks against it ("is not
  required", "would not recommend", "rather than").

Each finding quotes the sentences on both sides and cites both reports; the local
authority decides. Without an embedder only the first kind is found (the other side is
then the report's view sharing most words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.ehcp.advice import ADVICE_LABELS
from assistant.ehcp.model import Gate
from assistant.ehcp.reading import NEGATED, STANCE, AdviceReader
from assistant.text import content_words

#: How each profession is named in another's report (roles, not wording of any report).
PROFESSION_NAMES: dict[str, re.Pattern[str]] = {
    "educational_psychology": re.compile(
        r"\b((?i:educational psycholog\w*|psychology service)|EPS?)\b"
    ),
    "speech_and_language": re.compile(
        r"\b(speech and language therap\w*|speech therap\w*|S[Aa]?LT|SALT)\b", re.I
    ),
    "occupational_therapy": re.compile(r"\b((?i:occupational therap\w*)|OT)\b"),
    "paediatric": re.compile(
        r"\b(paediatrician|community paediatric\w*|DMO|designated medical officer)\b", re.I
    ),
    "social_care": re.compile(r"\b(social worker|social care)\b", re.I),
}
_DIFFERS = re.compile(
    r"\b(differs?|different (view|opinion)|disagree\w*|do(es)? not agree|has recommended|"
    r"have recommended|recommends|aware that|however|whereas|although|contrary)\b",
    re.I,
)
#: Two views this close in meaning are about the same thing.
SAME_TOPIC = 0.5
#: Two provision sentences this close in meaning describe the same provision.
SAME_PROVISION = 0.75


@dataclass(frozen=True)
class Report:
    n: int
    advice_type: str
    paragraphs: list[list[str]]  # sentences by line

    @property
    def sentences(self) -> list[str]:
        return [s for para in self.paragraphs for s in para]

    @property
    def views(self) -> list[str]:
        return [s for para in self.paragraphs for s in para if STANCE.search(s)]


def _reports(reader: AdviceReader, sources: Sequence[tuple[int, str, str]]) -> list[Report]:
    from assistant.ehcp.reading import layout
    from assistant.text import split_sentences

    out = []
    for n, advice_type, text in sources:
        paragraphs = [
            [s.strip() for s in split_sentences(line.text) if s.strip()]
            for line in layout(text)
            if not line.heading
        ]
        out.append(Report(n, advice_type, [p for p in paragraphs if p]))
    return out


def _closest(reader: AdviceReader, query: str, candidates: list[str]) -> tuple[str, float] | None:
    if not candidates:
        return None
    vectors = reader.vectors([query, *candidates])
    if vectors is not None:
        sims = vectors[1:] @ vectors[0]
        best = int(np.argmax(sims))
        return candidates[best], float(sims[best])
    words = content_words(query)
    scored = [(len(words & content_words(c)), c) for c in candidates]
    shared, best_text = max(scored, key=lambda x: x[0])
    return (best_text, float(shared)) if shared else None


def _gate(a: Report, b: Report, quotes: list[tuple[int, str]], how: str) -> Gate:
    names = " and ".join(ADVICE_LABELS.get(r.advice_type, "other advice").lower() for r in (a, b))
    return Gate(
        kind="conflict",
        section="F",
        message=(
            f"The {names} disagree ({how}); the local authority decides what the plan "
            "specifies. Read both sides in the advice cited."
        ),
        citations=sorted({a.n, b.n}),
        quotes=quotes,
    )


def advice_conflicts(reader: AdviceReader, sources: Sequence[tuple[int, str, str]]) -> list[Gate]:
    """Conflict gates between the reports in ``sources`` ((n, advice_type, text))."""
    reports = [
        r for r in _reports(reader, sources) if r.advice_type not in ("child_views", "parent_views")
    ]
    gates: list[Gate] = []
    done: set[frozenset[int]] = set()
    # 1. One report names another profession's advice and sets a view against it.
    for a in reports:
        for para in a.paragraphs:
            for i, sentence in enumerate(para):
                # The difference may be stated in the next sentence ("... advises X.
                # However, in my view ...").
                if not _DIFFERS.search(" ".join(para[i : i + 2])):
                    continue
                for b in reports:
                    if b.n == a.n or b.advice_type == a.advice_type:
                        continue
                    pattern = PROFESSION_NAMES.get(b.advice_type)
                    if pattern is None or not pattern.search(sentence):
                        continue
                    pair = frozenset({a.n, b.n})
                    if pair in done:
                        continue
                    context = " ".join(para[max(0, i - 1) : i + 2])
                    other = _closest(reader, context, b.views)
                    if other is None:
                        continue
                    mine = [s for s in para if s != sentence and STANCE.search(s)]
                    quotes = [(a.n, sentence), *((a.n, s) for s in mine[:1]), (b.n, other[0])]
                    done.add(pair)
                    gates.append(_gate(a, b, quotes, "one names the other's advice"))
    # 2. Views on the same thing, one for and one against.
    if reader.vectors(["probe"]) is None:
        return gates
    for i, a in enumerate(reports):
        for b in reports[i + 1 :]:
            pair = frozenset({a.n, b.n})
            if pair in done or not a.views or not b.views:
                continue
            va = reader.vectors(a.views)
            vb = reader.vectors(b.views)
            sims = va @ vb.T  # type: ignore[union-attr]
            best: tuple[float, str, str] | None = None
            for x, sa in enumerate(a.views):
                for y, sb in enumerate(b.views):
                    if bool(NEGATED.search(sa)) == bool(NEGATED.search(sb)):
                        continue
                    if sims[x, y] >= SAME_TOPIC and (best is None or sims[x, y] > best[0]):
                        best = (float(sims[x, y]), sa, sb)
            if best is not None:
                done.add(pair)
                gates.append(
                    _gate(
                        a,
                        b,
                        [(a.n, best[1]), (b.n, best[2])],
                        "one advises against what the other recommends",
                    )
                )
    # 3. The same provision recommended at different amounts ("weekly" against "termly").
    for i, a in enumerate(reports):
        for b in reports[i + 1 :]:
            pair = frozenset({a.n, b.n})
            if pair in done:
                continue
            xs = [s for s in a.sentences if frequencies(s)]
            ys = [s for s in b.sentences if frequencies(s)]
            if not xs or not ys:
                continue
            sims = reader.vectors(xs) @ reader.vectors(ys).T  # type: ignore[union-attr]
            found: tuple[float, str, str] | None = None
            for x, sa in enumerate(xs):
                for y, sb in enumerate(ys):
                    if sims[x, y] < SAME_PROVISION or frequencies(sa) & frequencies(sb):
                        continue
                    if found is None or sims[x, y] > found[0]:
                        found = (float(sims[x, y]), sa, sb)
            if found is not None:
                done.add(pair)
                gates.append(
                    _gate(
                        a,
                        b,
                        [(a.n, found[1]), (b.n, found[2])],
                        "they recommend the same provision at different frequencies",
                    )
                )
    return gates


_FREQUENCY = re.compile(
    r"\b((?:once|twice|three times|four times|five times|\d+ times|\d+ x)\s+"
    r"(?:daily|weekly|fortnightly|monthly|termly)|"
    r"daily|weekly|fortnightly|monthly|termly|annually|every day|each day|"
    r"(?:once|twice|three times|four times|five times|\d+ times|\d+ x)\s+(?:a|per|each|every)\s+"
    r"(?:day|week|fortnight|month|term|half term|year)|"
    r"(?:every|each|per|a)\s+(?:day|week|fortnight|month|term|half term|year))\b",
    re.I,
)
_SAME = {
    "every day": "daily",
    "each day": "daily",
    "a day": "daily",
    "per day": "daily",
    "every week": "weekly",
    "a week": "weekly",
    "per week": "weekly",
    "each week": "weekly",
    "every term": "termly",
    "a term": "termly",
    "per term": "termly",
    "each term": "termly",
    "every month": "monthly",
    "a month": "monthly",
    "per month": "monthly",
    "every year": "annually",
    "a year": "annually",
    "per year": "annually",
    "every fortnight": "fortnightly",
    "a fortnight": "fortnightly",
}


def frequencies(sentence: str) -> frozenset[str]:
    """How often a sentence says something happens, normalised ("once a week" ->
    "once weekly", "every day" -> "daily")."""
    out = set()
    for m in _FREQUENCY.finditer(sentence):
        phrase = re.sub(r"\s+", " ", m.group(0).lower())
        for long, short in _SAME.items():
            phrase = phrase.replace(long, short)
        phrase = phrase.replace(" per ", " ").replace(" a ", " ").replace(" each ", " ")
        out.add(phrase.removeprefix("once "))
    return frozenset(out)
