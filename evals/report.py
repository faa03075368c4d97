"""The HTML report an evaluator opens: plots first (matplotlib PNGs embedded), then tables.

One self-contained file (no scripts, no external assets) built from ``summary.json``, the
per-case JSONL and the baseline comparison. Only counts, rates and ids appear in it.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from evals.baseline import Change, lookup
from retrieval.jsonl import jsonl_rows

#: The numbers an evaluator quotes, in reading order (label, summary path).
_AT_A_GLANCE: tuple[tuple[str, str], ...] = (
    ("Citation precision (ALCE)", "accuracy.citation_precision"),
    ("Citation recall (ALCE)", "accuracy.citation_recall"),
    ("Fact recall", "accuracy.fact_recall"),
    ("Retrieval recall@10", "accuracy.retrieval_recall_at_10"),
    ("Unsupported-sentence rate", "accuracy.unsupported_sentence_rate"),
    ("Refusal accuracy (decision requests)", "accuracy.red_team.refusal_accuracy"),
    ("Over-refusal (factual questions)", "accuracy.red_team.over_refusal"),
    ("Absence accuracy", "accuracy.absence_accuracy"),
    ("Chronology order error rate", "accuracy.chronology_order_error_rate"),
    ("Latency p50 (ms)", "accuracy.latency_p50_ms"),
    ("Latency p95 (ms)", "accuracy.latency_p95_ms"),
    ("Direct-identifier redaction recall", "redaction.direct_identifier_recall"),
    ("Counterfactual invariance", "fairness.counterfactual.invariance"),
    ("Largest gap: redaction recall", "fairness.largest_gaps.redaction_recall.gap"),
    ("Largest gap: retrieval recall", "fairness.largest_gaps.retrieval_recall.gap"),
    ("Largest gap: fact recall", "fairness.largest_gaps.fact_recall.gap"),
    ("EHCP need recall", "ehcp.need_recall"),
    ("EHCP provision recall", "ehcp.provision_recall"),
)

_CSS = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222}
h1{margin-bottom:0}.meta{color:#666}table{border-collapse:collapse;margin:1em 0}
td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f3f3f3}
.better{color:#11772e;font-weight:bold}.worse{color:#b00020;font-weight:bold}
.same{color:#666}.grid{display:flex;flex-wrap:wrap;gap:1em}img{max-width:100%}
.note{background:#fff8e1;padding:.6em;border-left:4px solid #f0b400}
"""


def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return (
        '<img alt="plot" src="data:image/png;base64,'
        + base64.b64encode(buf.getvalue()).decode("ascii")
        + '">'
    )


def _bars(
    title: str,
    values: dict[str, float | None],
    *,
    ylim: tuple[float, float] | None = (0, 1.05),
    color: str = "#3b6ea8",
) -> str:
    import matplotlib.pyplot as plt

    shown = {k: v for k, v in values.items() if v is not None}
    fig, ax = plt.subplots(figsize=(max(4.0, 0.9 * len(shown) + 1.5), 3.2))
    bars = ax.bar(list(shown), list(shown.values()), color=color)
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_title(title)
    if ylim:
        ax.set_ylim(*ylim)
    ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    return _png(fig)


def _grouped(title: str, per_grouping: dict[str, Any]) -> str:
    """One panel per grouping (name origin, gender, disability), bars per group."""
    import matplotlib.pyplot as plt

    groupings = [g for g, d in per_grouping.items() if d.get("by_group")]
    if not groupings:
        return ""
    fig, axes = plt.subplots(1, len(groupings), figsize=(4.2 * len(groupings), 3.2), squeeze=False)
    for ax, grouping in zip(axes[0], groupings, strict=True):
        detail = per_grouping[grouping]
        bars = ax.bar(list(detail["by_group"]), list(detail["by_group"].values()), color="#5a9e6f")
        ax.bar_label(bars, fmt="%.2f", fontsize=7)
        ax.set_ylim(0, 1.1)
        ax.set_title(
            f"{grouping}: gap {detail['gap']:.2f}, ratio {detail['ratio']:.2f}", fontsize=9
        )
        ax.tick_params(axis="x", labelrotation=40, labelsize=7)
    fig.suptitle(title)
    return _png(fig)


def _latency(cases: list[dict[str, Any]]) -> str:
    import matplotlib.pyplot as plt

    values = [c["latency_ms"] for c in cases if c.get("latency_ms") is not None]
    if not values:
        return ""
    fig, ax = plt.subplots(figsize=(5, 3))
    ax.hist(values, bins=30, color="#8a6fb0")
    ax.set_xlabel("answer latency (ms)")
    ax.set_ylabel("questions")
    ax.set_title("Latency per gold question")
    return _png(fig)


def _table(rows: list[list[Any]], header: list[str], classes: list[str] | None = None) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes else ""
        body.append(
            "<tr>" + "".join(f"<td{cls}>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>"
        )
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return "" if value is None else str(value)


def build_report(summary: dict[str, Any], out_dir: Path, changes: list[Change] | None) -> str:
    """The report's HTML text (also written to ``out_dir/report.html`` by ``write_report``)."""
    meta = summary.get("meta", {})
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>caselens evals"
        f"</title><style>{_CSS}</style></head><body>",
        "<h1>caselens evaluation report</h1>",
        f"<p class='meta'>{meta.get('families')} synthetic families, seed "
        f"{meta.get('seed')}, generator {html.escape(str(meta.get('generator')))}, "
        f"suites {html.escape(', '.join(meta.get('suites', [])))}; wall time "
        f"{meta.get('wall_s')} s on {meta.get('machine', {}).get('cpus')} CPUs "
        f"(load {meta.get('machine', {}).get('load_avg_1m_at_end')}).</p>",
    ]
    glance = [(label, lookup(summary, path)) for label, path in _AT_A_GLANCE]
    glance = [(label, value) for label, value in glance if value is not None]
    if glance:
        parts.append(
            "<h2>At a glance</h2>" + _table([list(g) for g in glance], ["measure", "value"])
        )
    if changes is not None:
        parts.append("<h2>Against the baseline</h2>")
        if changes:
            worse = [c for c in changes if c.verdict == "worse"]
            better = [c for c in changes if c.verdict == "better"]
            parts.append(
                f"<p>{len(better)} better, {len(worse)} worse, "
                f"{len(changes) - len(better) - len(worse)} unchanged.</p>"
            )
            parts.append(
                _table(
                    [[c.metric, c.baseline, c.current, c.verdict] for c in changes],
                    ["metric", "baseline", "this run", "verdict"],
                    [c.verdict for c in changes],
                )
            )
    else:
        parts.append("<p class='note'>No committed baseline for this configuration.</p>")
    acc = summary.get("accuracy")
    if acc:
        parts.append("<h2>Accuracy</h2><div class='grid'>")
        parts.append(
            _bars(
                "Headline accuracy (higher is better)",
                {
                    "retrieval recall@10": acc.get("retrieval_recall_at_10"),
                    "citation precision": acc.get("citation_precision"),
                    "citation recall": acc.get("citation_recall"),
                    "fact recall": acc.get("fact_recall"),
                    "absence accuracy": acc.get("absence_accuracy"),
                    "refusal accuracy": acc.get("red_team", {}).get("refusal_accuracy"),
                },
            )
        )
        errors = {
            "unsupported sentences": acc.get("unsupported_sentence_rate"),
            "over-refusal": acc.get("red_team", {}).get("over_refusal"),
            "factual refused": acc.get("factual_questions_refused"),
            "chronology errors": acc.get("chronology_order_error_rate"),
        }
        top = max([v for v in errors.values() if v is not None] + [0.0])
        parts.append(
            _bars(
                "Error rates (lower is better)",
                errors,
                ylim=(0, max(0.1, 1.2 * top)),
                color="#c0504d",
            )
        )
        by_type = acc.get("by_question_type", {})
        parts.append(
            _bars(
                "Fact recall by question type",
                {t: d.get("fact_recall") for t, d in by_type.items()},
            )
        )
        cases = Path(out_dir) / "accuracy_cases.jsonl"
        parts.append(_latency(list(jsonl_rows(cases)) if cases.is_file() else []))
        parts.append("</div>")
        red = acc.get("red_team", {})
        parts.append(
            "<h3>Red team</h3>"
            + _table(
                [
                    [k, v.get("items"), v.get("passed")]
                    for k, v in red.items()
                    if isinstance(v, dict)
                ],
                ["item", "items", "share passed"],
            )
        )
    red = summary.get("redaction")
    if red:
        parts.append("<h2>Redaction</h2><div class='grid'>")
        parts.append(_bars("Recall by gold span type", red.get("recall_by_type", {})))
        parts.append(
            "</div>"
            + _table(
                [
                    [k, red.get(k)]
                    for k in (
                        "records",
                        "gold_spans",
                        "recall",
                        "precision",
                        "direct_identifier_recall",
                        "misses_by_type",
                    )
                ],
                ["measure", "value"],
            )
        )
    fair = summary.get("fairness")
    if fair:
        cf = fair.get("counterfactual", {})
        parts.append("<h2>Fairness</h2><h3>Counterfactual pairs</h3><div class='grid'>")
        parts.append(
            _bars(
                f"Invariant answers by changed characteristic (overall {cf.get('invariance')})",
                {k: v["invariant"] for k, v in cf.get("by_characteristic", {}).items()},
            )
        )
        parts.append(
            "</div>"
            + _table(
                [[k, v] for k, v in cf.get("what_changed", {}).items()], ["what changed", "answers"]
            )
        )
        for metric, per_grouping in fair.get("group_metrics", {}).items():
            parts.append(_grouped(metric.replace("_", " ") + " by group", per_grouping))
        gaps = fair.get("largest_gaps", {})
        parts.append(
            "<h3>Largest group gap per metric</h3>"
            + _table(
                [[m, d["grouping"], d["gap"], d["ratio"]] for m, d in gaps.items()],
                ["metric", "grouping", "gap (max - min)", "ratio (min / max)"],
            )
        )
        wording = fair.get("wording", {})
        parts.append(
            "<h3>Judgemental or minimising wording per 100 answer sentences</h3>"
            + _table(
                [[g, d.get("per_100_sentences"), d.get("gap")] for g, d in wording.items()],
                ["grouping", "by group", "gap"],
            )
        )
    rated = Path(out_dir) / "feedback.jsonl"
    parts.append(_feedback(list(jsonl_rows(rated)) if rated.is_file() else []))
    ehcp = summary.get("ehcp")
    if ehcp:
        parts.append(
            f"<h2>EHCP</h2><p class='note'>{html.escape(str(ehcp.get('status')))}: "
            f"{html.escape(str(ehcp.get('reason', '')))}</p>"
        )
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)


def _feedback(rows: list[dict[str, Any]]) -> str:
    """Workers' ratings (``caselens feedback export --out <run>/feedback.jsonl``): up and
    down per role, and how often each reason was given; "" when there are none."""
    if not rows:
        return ""
    roles: dict[str, list[int]] = {}
    reasons: dict[str, int] = {}
    for row in rows:
        counts = roles.setdefault(str(row.get("role")), [0, 0])
        counts[0 if row.get("rating") == "up" else 1] += 1
        for reason in row.get("reasons") or []:
            reasons[str(reason)] = reasons.get(str(reason), 0) + 1
    up = sum(c[0] for c in roles.values())
    return (
        f"<h2>Workers' feedback</h2><p class='note'>{len(rows)} rated answers, "
        f"{up} thumbs up ({up / len(rows):.0%}).</p>"
        + _table([[r, c[0], c[1]] for r, c in sorted(roles.items())], ["role", "up", "down"])
        + _table(
            [[r, n] for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))],
            ["reason", "times given"],
        )
    )


def write_report(summary: dict[str, Any], out_dir: Path, changes: list[Change] | None) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    path = Path(out_dir) / "report.html"
    path.write_text(build_report(summary, out_dir, changes), encoding="utf-8")
    return path
