"""How the request classifier's thresholds were chosen, and how well it generalises.

``leave_one_out`` scores every bank exemplar against the rest of the bank (itself left
out), so thresholds can be tuned on the bank without it remembering its own lines.
``choose_thresholds`` grid-searches ``Thresholds`` for the best balanced accuracy over
refusal, answerable and off-topic exemplars. ``held_out`` then measures the chosen
classifier on the ``*_heldout.txt`` sets, which the bank never contains::

    .venv/bin/python -m assistant.request_calibration
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from assistant.requests import (
    HELDOUT_FILES,
    Cues,
    ExemplarClassifier,
    RequestDecision,
    Similarities,
    Thresholds,
    decide,
    load_phrasings,
)

#: The three groups a question is scored in.
GROUPS = ("refusal", "answer", "off_topic")


def correct(group: str, decision: RequestDecision) -> bool:
    if group == "refusal":
        return decision.refused
    if group == "off_topic":
        return decision.off_topic
    return decision.category == "answer"


@dataclass
class Scores:
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GROUPS, 0))
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # group, got, question

    def add(self, group: str, question: str, decision: RequestDecision) -> None:
        self.total[group] += 1
        if correct(group, decision):
            self.right[group] += 1
        else:
            self.errors.append((group, decision.category, question))

    def accuracy(self, group: str) -> float:
        return self.right[group] / self.total[group] if self.total[group] else 1.0

    @property
    def balanced(self) -> float:
        groups = [g for g in GROUPS if self.total[g]]
        return sum(self.accuracy(g) for g in groups) / len(groups)

    def as_dict(self) -> dict[str, object]:
        return {
            **{f"{g}_accuracy": round(self.accuracy(g), 4) for g in GROUPS},
            **{f"{g}_n": self.total[g] for g in GROUPS},
            "balanced": round(self.balanced, 4),
        }


def _group(label: str) -> str:
    return label if label in ("answer", "off_topic") else "refusal"


Row = tuple[str, str, Cues, Similarities]


def leave_one_out(classifier: ExemplarClassifier) -> list[Row]:
    """(question, group, cues, similarities without itself) for every bank exemplar."""
    out = []
    bank = classifier.bank
    for i, (text, label) in enumerate(zip(bank.texts, bank.labels, strict=True)):
        sims = classifier.similarities(classifier.matrix[i], exclude=i)
        out.append((text, _group(label), Cues.of(text), sims))
    return out


def score(rows: Iterable[Row], thresholds: Thresholds) -> Scores:
    scores = Scores()
    for question, group, cues, sims in rows:
        scores.add(group, question, decide(cues, sims, thresholds))
    return scores


def _with_k(classifier: ExemplarClassifier, k: int) -> list[Row]:
    c = classifier
    saved = c.thresholds
    c.thresholds = replace(saved, k=k)
    try:
        return leave_one_out(c)
    finally:
        c.thresholds = saved


GRID: dict[str, Sequence[float]] = {
    "k": (1, 2, 3, 5),
    "margin": (0.0, 0.02, 0.04, 0.06, 0.08, 0.1, 0.12),
    "floor": (0.2, 0.3, 0.4, 0.5, 0.6),
    "cue_margin": (-0.2, -0.16, -0.12, -0.09, -0.06, -0.04, -0.02, 0.0, 0.02),
    "off_topic_margin": (-0.12, -0.09, -0.06, -0.03, 0.0, 0.03, 0.06),
    "off_topic_floor": (0.1, 0.2, 0.3, 0.4),
}


#: At most this share of in-domain exemplars may be called off-topic (leave-one-out): an
#: off-topic answer hides every recorded fact, a missed off-topic question only searches.
MAX_FALSE_OFF_TOPIC = 0.005


def choose_thresholds(
    classifier: ExemplarClassifier,
    grid: dict[str, Sequence[float]] = GRID,
    max_false_off_topic: float = MAX_FALSE_OFF_TOPIC,
) -> tuple[Thresholds, Scores]:
    """Leave-one-out over the bank, per k: the off-topic thresholds that find the most
    off-topic exemplars while calling at most ``max_false_off_topic`` of the in-domain ones
    off-topic; then, with those fixed, the refusal thresholds with the best balanced
    accuracy. Ties keep the first point (smaller values)."""
    best: tuple[float, Thresholds, Scores] | None = None
    for k in grid["k"]:
        rows = _with_k(classifier, int(k))
        in_domain = sum(1 for _, group, _, _ in rows if group != "off_topic")
        off_best: tuple[float, Thresholds] | None = None
        for off_margin, off_floor in itertools.product(
            grid["off_topic_margin"], grid["off_topic_floor"]
        ):
            t = Thresholds(int(k), off_topic_margin=off_margin, off_topic_floor=off_floor)
            s = score(rows, t)
            false = sum(1 for g, got, _ in s.errors if g != "off_topic" and got == "off_topic")
            if false > max_false_off_topic * in_domain:
                continue
            if off_best is None or s.accuracy("off_topic") > off_best[0] + 1e-9:
                off_best = (s.accuracy("off_topic"), t)
        if off_best is None:
            continue
        for margin, floor, cue_margin in itertools.product(
            grid["margin"], grid["floor"], grid["cue_margin"]
        ):
            t = replace(off_best[1], margin=margin, floor=floor, cue_margin=cue_margin)
            s = score(rows, t)
            if best is None or s.balanced > best[0] + 1e-9:
                best = (s.balanced, t, s)
    if best is None:
        raise ValueError("no off-topic thresholds keep the in-domain exemplars in-domain")
    return best[1], best[2]


def held_out(
    classify: Callable[[str], RequestDecision],
    files: dict[str, tuple[str, ...]] = HELDOUT_FILES,
) -> Scores:
    """Scores on the held-out sets (by default both)."""
    scores = Scores()
    for group, names in files.items():
        for name in names:
            for question in load_phrasings(name):
                scores.add(group, question, classify(question))
    return scores


def main() -> None:  # pragma: no cover - a report for people
    from api.backends import build_embedder
    from api.settings import load_settings
    from assistant.embedder import CachedEmbedder
    from assistant.requests import PatternClassifier

    settings = load_settings()
    dense = build_embedder(settings)
    from retrieval.glossary import default_glossary

    classifier = ExemplarClassifier(
        CachedEmbedder(dense), cache_key=dense.label, casework=default_glossary().about_casework
    )
    chosen, loo = choose_thresholds(classifier)
    print("chosen", chosen)
    print("leave-one-out", loo.as_dict())
    classifier.thresholds = chosen
    for name, fn in (
        ("patterns", PatternClassifier().classify),
        ("patterns + exemplars", classifier.classify),
    ):
        for i in range(2):
            files = {group: names[i : i + 1] for group, names in HELDOUT_FILES.items()}
            s = held_out(fn, files)
            print(f"{name}, held-out set {i + 1}:", s.as_dict())
            for group, got, q in s.errors:
                print(f"   {group:9} -> {got:10} {q}")


if __name__ == "__main__":  # pragma: no cover
    main()
