"""Redaction suite: the real pseudonymiser scored against the estate's gold PII spans.

Overall and per-type recall/precision come from ``redaction.evaluation.score``; the same
scoring per family gives the per-family rows the fairness suite groups by name origin,
gender and disability. Rows carry counts only, never text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evals.stack import EvalStack
from redaction.evaluation import load_gold_spans, load_name_origins, score


def family_traits(estate_dir: Path) -> dict[str, dict[str, str]]:
    """gold family id -> the group labels the fairness suite compares (index child's)."""
    gold = Path(estate_dir) / "gold"
    persons = {
        p["true_person_id"]: p
        for p in map(json.loads, (gold / "persons.jsonl").read_text("utf-8").splitlines())
    }
    traits: dict[str, dict[str, str]] = {}
    for line in (gold / "families.jsonl").read_text("utf-8").splitlines():
        family = json.loads(line)
        child = persons.get(family["index_child"], {})
        disability = str(child.get("disability") or "none")
        traits[family["family_id"]] = {
            "name_origin": str(family.get("name_origin", "unknown")),
            "gender": str(child.get("gender", "unknown")),
            "disability": "none" if disability == "none" else "disabled",
        }
    return traits


def run_redaction(
    stack: EvalStack, *, batch_size: int = 64, tick: Callable[[int], None] | None = None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Pseudonymise (in memory) every stored record with gold spans and score it."""
    gold = load_gold_spans(stack.estate_dir)
    person_origin, family_origin, source_family = load_name_origins(stack.estate_dir)
    wanted = {(g.source_system, g.record_id) for g in gold}
    records = [r for r in stack.store.iter_records() if r.key in wanted]
    triples = []
    for start in range(0, len(records), batch_size):
        batch = records[start : start + batch_size]
        results = stack.pseudonymiser.pseudonymise_many(batch)
        for record, result in zip(batch, results, strict=True):
            triples.append(
                (result, {"title": record.title, "text": record.text}, list(record.person_ids))
            )
        if tick:
            tick(len(batch))
    overall = score(triples, gold, person_origin, family_origin, source_family)
    by_family: dict[str, list[Any]] = defaultdict(list)
    for triple in triples:
        system = triple[0].row.source_system
        family = next(
            (source_family[f"{system}:{p}"] for p in triple[2] if f"{system}:{p}" in source_family),
            None,
        )
        if family:
            by_family[family].append(triple)
    traits = family_traits(stack.estate_dir)
    rows = []
    for family, family_triples in sorted(by_family.items()):
        s = score(family_triples, gold, person_origin, family_origin, source_family)
        rows.append(
            {
                "family_id": family,
                **traits.get(family, {}),
                "direct_hit": s.direct_recall.hit,
                "direct_total": s.direct_recall.total,
                "person_hit": s.recall_by_type["PERSON"].hit,
                "person_total": s.recall_by_type["PERSON"].total,
            }
        )
    report = overall.to_dict()
    summary = {
        "records": report["records"],
        "gold_spans": report["gold_spans"],
        "recall": report["overall_recall"]["rate"],
        "precision": report["overall_precision"]["rate"],
        "direct_identifier_recall": report["direct_identifier_recall"]["rate"],
        "family_direct_identifier_recall": report["family_direct_identifier_recall"]["rate"],
        "direct_recall_gap_points_by_name_origin": report["direct_recall_gap_points"],
        "recall_by_type": {k: v["rate"] for k, v in report["recall_by_type"].items()},
        "misses_by_type": report["misses_by_type"],
    }
    return summary, rows


# --- Free-text sets (``--set PATH``: the development set's pii.jsonl format) -------------

#: Tables of the free-text report: (summary key, heading).
FREE_TEXT_TABLES: tuple[tuple[str, str], ...] = (
    ("recall_by_name_origin", "Direct-identifier recall by name origin"),
    ("recall_by_style", "Direct-identifier recall by writing style"),
    ("recall_by_type", "Recall by identifier type"),
    ("keep_rate_by_kind", "Keep rate by kind (look-alikes that must survive)"),
)


def run_free_text_set(path: Path, detector: Any) -> dict[str, Any]:
    """Redact every sentence of a free-text set as ``caselens redact text`` does (no
    family knowledge) and score it: recall per origin, style and type with 95% intervals,
    keep rate per kind, false positives per 1,000 words and the worst sentences (ids,
    span types and offsets only, never values)."""
    from redaction.evaluation import evaluate_free_text

    report = evaluate_free_text(detector, Path(path)).to_dict()
    report["set"] = Path(path).name
    return report


def _rate_cell(rate: dict[str, Any]) -> str:
    ci = rate.get("ci95")
    interval = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    value = "n/a" if rate["rate"] is None else f"{rate['rate']:.3f}"
    return f"{rate['hit']}/{rate['total']} = {value}{interval}"


def free_text_lines(report: dict[str, Any]) -> list[str]:
    """The report as plain text lines (what the CLI prints)."""
    lines = [
        f"set {report.get('set', '')}: {report['sentences']} sentences, {report['words']} words",
        f"direct-identifier recall  {_rate_cell(report['direct_identifier_recall'])}",
        f"person recall             {_rate_cell(report['person_recall'])}",
        f"keep rate                 {_rate_cell(report['keep_rate'])}",
        f"false positives / 1,000 words  {report['false_positives_per_1000_words']}"
        f"  {report['false_positives_by_type']}",
        f"gap between origins (points)  {report['recall_gap_points_by_name_origin']}",
        f"gap between styles (points)   {report['recall_gap_points_by_style']}",
    ]
    for key, heading in FREE_TEXT_TABLES:
        lines.append(f"-- {heading}")
        for name, rate in report[key].items():
            lines.append(f"   {name:<30} {_rate_cell(rate)}")
    return lines


def write_free_text_outputs(report: dict[str, Any], out: Path) -> Path:
    """``summary.json`` and a self-contained ``report.html`` (tables with the gaps) in
    ``out``; returns the report path. Only counts, ids, types and offsets are written."""
    import html

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    def bar(rate: dict[str, Any]) -> str:
        value = rate["rate"] or 0.0
        colour = "#2e7d32" if value >= 0.98 else "#f9a825" if value >= 0.9 else "#c62828"
        return (
            f'<div style="background:#eee;width:200px"><div style="background:{colour};'
            f'width:{value * 200:.0f}px">&nbsp;</div></div>'
        )

    parts = [
        "<!doctype html><meta charset='utf-8'><title>Redaction: free-text set</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;"
        "text-align:left}table{border-collapse:collapse;margin-bottom:1.5em}"
        "tr:nth-child(even){background:#f6f6f6}</style>",
        f"<h1>Redaction on {html.escape(str(report.get('set', '')))}</h1>",
        "<p>" + "<br>".join(html.escape(line) for line in free_text_lines(report)[:7]) + "</p>",
    ]
    for key, heading in FREE_TEXT_TABLES:
        parts.append(
            f"<h2>{html.escape(heading)}</h2><table><tr><th>group</th>"
            "<th>hit/total = rate [95% CI]</th><th></th></tr>"
        )
        rows = sorted(report[key].items(), key=lambda kv: (kv[1]["rate"] or 0.0, kv[0]))
        for name, rate in rows:
            parts.append(
                f"<tr><td>{html.escape(name)}</td><td>{html.escape(_rate_cell(rate))}</td>"
                f"<td>{bar(rate)}</td></tr>"
            )
        parts.append("</table>")
    parts.append(
        "<h2>Worst sentences (types and offsets only)</h2><table><tr><th>id</th>"
        "<th>origin</th><th>style</th><th>missed</th><th>replaced but kept</th></tr>"
    )
    for row in report["worst"]:
        missed = ", ".join(f"{m['type']}@{m['start']}-{m['end']}" for m in row["missed"])
        lost = ", ".join(f"{k['kind']}@{k['start']}-{k['end']}" for k in row["lost"])
        parts.append(
            f"<tr><td>{html.escape(row['id'])}</td><td>{html.escape(row['name_origin'])}</td>"
            f"<td>{html.escape(row['style'])}</td><td>{html.escape(missed)}</td>"
            f"<td>{html.escape(lost)}</td></tr>"
        )
    parts.append("</table>")
    path = out / "report.html"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m evals.suites.redaction --set PATH [--out DIR]``."""
    import argparse

    from api import backends
    from api.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", dest="set_path", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    report = run_free_text_set(args.set_path, backends.build_redaction_detector(load_settings()))
    for line in free_text_lines(report):
        print(line)
    if args.out is not None:
        print(f"wrote {write_free_text_outputs(report, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
