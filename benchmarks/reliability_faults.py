"""Pipeline fault cases: kill -9 each step mid-run and resume; feed ingest bad extracts.

One command (about 20 minutes on two busy cores at the default size):

    .venv/bin/python benchmarks/reliability_faults.py [--families 16] [--points 2]

1. A clean run through the real ``caselens`` command line in its own data dir: ``ingest``,
   ``link``, ``redact all``, ``index sync``; the result (every record's content hash, every
   pseudonymised record's text, every indexed record's source hash and chunk count) is the
   reference.
2. For each of ``ingest``, ``redact all --index`` and ``index sync``: start the step on a
   copy of the state before it, SIGKILL it at ``--points`` moments spread over its work
   (once that share of its rows is committed: records, pseudonymised records, sentence
   vectors), run it again to the end, finish the pipeline, and compare with the reference:
   records lost, duplicated or different; pseudonyms different; index different.
3. Bad extracts on a copy of the finished state: a truncated line whose id cannot be read,
   an empty extract, an oversize record, a duplicated id with an older version. Each must
   leave every stored record as it was (apart from the intended change) and say why.

Results go to ``docs/reliability-faults.md`` and ``docs/reliability-faults.json``. This is
a measurement, not a unit test: the pass/fail checks live in the test suite
(``tests/test_ingest*.py``, ``tests/test_cli_errors.py``...).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

CASELENS = [sys.executable, "-m", "api.cli"]


def _env(data: Path, key: str) -> dict[str, str]:
    return {
        **os.environ,
        "CASELENS_DATA_DIR": str(data),
        "CASELENS_VAULT_KEY": key,
        "CASELENS_PROGRESS": "false",
        "CASELENS_PROFILE": "local",
        # The code under test is this checkout's (e.g. a frozen copy made with
        # ``git archive``), not whatever the installed package points at.
        "PYTHONPATH": str(REPO),
    }


def _run(data: Path, key: str, *args: str) -> tuple[int, float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [*CASELENS, *args], env=_env(data, key), capture_output=True, text=True, cwd=REPO
    )
    return done.returncode, time.perf_counter() - started, done.stderr[-1500:]


#: Where each step's progress shows: (SQLite file in the data dir, table).
PROGRESS: dict[str, tuple[str, str]] = {
    "ingest": ("casestore.sqlite3", "source_records"),
    "redact --index": ("casestore.sqlite3", "pseudonymised_records"),
    # Edge cannot be read while it is written; the sentence vectors are saved per batch.
    "index": ("sentence-vectors.sqlite", "sentence_vectors"),
}


def _count(data: Path, where: tuple[str, str]) -> int:
    """Rows of a table committed so far (a read-only look while the step runs)."""
    import sqlite3

    path, table = data / where[0], where[1]
    if not path.is_file():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    except sqlite3.Error:
        return 0


def _killed(
    data: Path, key: str, args: list[str], table: tuple[str, str], target: int
) -> dict[str, Any]:
    """Start the step; SIGKILL it once ``table`` holds ``target`` rows more than at the
    start: mid-work, with some of it committed."""
    base = _count(data, table)
    started = time.perf_counter()
    child = subprocess.Popen(
        [*CASELENS, *args],
        env=_env(data, key),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=REPO,
    )
    while child.poll() is None:
        elapsed = time.perf_counter() - started
        if _count(data, table) - base >= target:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            done = _count(data, table) - base
            return {"killed": True, "at_s": round(elapsed, 2), "rows_at_kill": done}
        time.sleep(0.02)
    return {"killed": False, "at_s": round(time.perf_counter() - started, 2), "rows_at_kill": None}


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def snapshot(data: Path) -> dict[str, Any]:
    """Records, pseudonyms and index of a data dir, as comparable digests."""
    from api.backends import open_case_store
    from api.settings import load_settings
    from retrieval.index.edge import EdgeVectorStore

    settings = load_settings(data_dir=data)
    with open_case_store(settings) as store:
        records = {f"{s}:{r}": h for (s, r), h in store.record_content_hashes().items()}
        pseudonyms = {
            f"{p.source_system}:{p.record_id}": _sha(p.title + "\x00" + p.text)
            for p in store.iter_pseudonymised()
        }
        runs = [r.status for r in store.list_runs(1000)]
    index: dict[str, list[Any]] = {}
    points = 0
    if settings.index_dir.is_dir():
        edge = EdgeVectorStore(settings.index_dir, 384, storage=settings.index_storage)
        try:
            index = {k: [v.source_hash, v.chunk_count] for k, v in edge.indexed_records().items()}
            points = edge.count()
        finally:
            edge.close()
    return {
        "records": records,
        "pseudonyms": pseudonyms,
        "index": index,
        "points": points,
        "runs": runs,
    }


def compare(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in ("records", "pseudonyms", "index"):
        g, w = got[part], want[part]
        out[part] = {
            "lost": len(set(w) - set(g)),
            "extra": len(set(g) - set(w)),
            "different": sum(1 for k in set(g) & set(w) if g[k] != w[k]),
        }
    out["index_points"] = {"got": got["points"], "want": want["points"]}
    out["running_runs_left"] = got["runs"].count("running")
    out["identical"] = (
        all(not any(v.values()) for k, v in out.items() if k in ("records", "pseudonyms", "index"))
        and got["points"] == want["points"]
    )
    return out


STEPS: dict[str, tuple[str, ...]] = {
    "ingest": ("ingest", "{estate}"),
    "link": ("link",),
    "redact": ("redact", "all"),
    "redact --index": ("redact", "all", "--index"),
    "index": ("index", "sync"),
}


def step(data: Path, key: str, name: str, estate: Path) -> float:
    args = [a.format(estate=estate) for a in STEPS[name]]
    code, seconds, err = _run(data, key, *args)
    if code != 0:
        raise SystemExit(f"{name} failed in {data} (exit {code}): {err}")
    return seconds


def copy(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def kill_cases(
    work: Path,
    key: str,
    estate: Path,
    clean_dir: Path,
    clean: dict[str, Any],
    stages: dict[str, Path],
    points: int,
) -> list[dict[str, Any]]:
    plans = [
        # (step killed, state it starts from, steps after it to finish the pipeline)
        ("ingest", None, ["ingest", "link", "redact", "index"]),
        ("redact --index", "linked", ["redact --index", "index"]),
        ("index", "redacted", ["index"]),
    ]
    results = []
    for killed_step, start, finish in plans:
        table = PROGRESS[killed_step]
        total = _count(clean_dir, table)
        for i in range(points):
            fraction = (i + 1) / (points + 1)
            data = work / f"kill-{killed_step.replace(' ', '')}-{i}"
            if start is None:
                if data.exists():
                    shutil.rmtree(data)
                data.mkdir(parents=True)
            else:
                copy(stages[start], data)
            args = [a.format(estate=estate) for a in STEPS[killed_step]]
            kill = _killed(data, key, args, table, max(1, int(total * fraction)))
            for name in finish:
                step(data, key, name, estate)
            result = compare(snapshot(data), clean)
            results.append({"step": killed_step, "fraction": round(fraction, 2), **kill, **result})
            print(
                f"kill -9 {killed_step} at {kill['at_s']}s: identical={result['identical']}",
                flush=True,
            )
    return results


def _extract(estate: Path, system: str) -> Path:
    return estate / "extracts" / system / "records.jsonl"


def fault_cases(work: Path, key: str, estate: Path, finished: Path) -> list[dict[str, Any]]:
    from api.backends import open_case_store
    from api.settings import load_settings

    def stored(data: Path) -> dict[str, str]:
        with open_case_store(load_settings(data_dir=data)) as store:
            return {f"{s}:{r}": h for (s, r), h in store.record_content_hashes().items()}

    cases = []
    systems = sorted(p.parent.name for p in (estate / "extracts").glob("*/records.jsonl"))
    system = "LCS" if "LCS" in systems else systems[0]

    def run_case(
        name: str, edit: Callable[[list[str]], list[str]], expect: str, *extra: str
    ) -> None:
        bad = work / f"estate-{name}"
        copy(estate, bad)
        path = _extract(bad, system)
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(edit(lines)) + ("\n" if edit(lines) else ""), encoding="utf-8")
        data = copy(finished, work / f"fault-{name}")
        before = stored(data)
        code, _, err = _run(data, key, "ingest", str(bad), "--json", *extra)
        after = stored(data)
        lost = sorted(set(before) - set(after))
        changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
        message = " ".join(err.split())
        cases.append(
            {
                "case": name,
                "exit": code,
                "records_before": len(before),
                "records_after": len(after),
                "lost": len(lost),
                "changed": len(changed),
                "expected": expect,
                "message": message[-400:],
            }
        )
        print(f"{name}: exit {code}, lost {len(lost)}, changed {len(changed)}", flush=True)

    run_case(
        "truncated-line-without-id",
        lambda lines: [*lines[:-1], '{"source_system": "' + system + '", "text": "trunc'],
        "exit 0; the last record's line unreadable: nothing deleted (deletions held)",
    )
    run_case("empty-extract", lambda lines: [], "exit 2; nothing changed")
    first = json.loads(_extract(estate, system).read_text().splitlines()[0])
    huge = {**first, "record_id": "OVERSIZE-1", "text": "word " * 60_000}
    run_case(
        "oversize-record",
        lambda lines: [*lines, json.dumps(huge)],
        "exit 0; the oversize record quarantined, nothing else changed",
    )
    older = {**first, "version": max(0, int(first.get("version") or 1) - 1), "text": "Older."}
    run_case(
        "duplicate-id-older-version",
        lambda lines: [*lines, json.dumps(older)],
        "exit 0; the duplicate reported, the stored newer version kept",
    )
    return cases


def _commit() -> str:
    try:
        return (
            subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO
            ).stdout.strip()
            or "unknown"
        )
    except OSError:
        return "unknown"


def write_docs(result: dict[str, Any], docs: Path) -> None:
    (docs / "reliability-faults.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Pipeline fault cases (measured)",
        "",
        "Written by `benchmarks/reliability_faults.py` "
        f"({result['when']}, {result['machine']}, {result['families']} families, "
        f"{result['clean']['records']} records, code {result['code']}). Re-run it to refresh "
        "this page; run it on a frozen copy of the code (`git archive HEAD`), since the clean "
        "and the resumed runs must run the same redaction.",
        "",
        "## kill -9 mid-step, then resume",
        "",
        "Each row: the step was started on the state before it, killed with SIGKILL at the "
        "time shown, run again to the end, the pipeline finished, and the result compared "
        "with a clean run (records by content hash, pseudonymised text, indexed records by "
        "source hash and chunk count, index point count).",
        "",
        "| step killed | killed at | records lost / extra / different | pseudonyms lost / "
        "extra / different | index lost / extra / different | points (got / clean) | "
        "identical |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in result["kills"]:
        rows = f", {r['rows_at_kill']} rows committed" if r.get("rows_at_kill") else ""
        at = f"{r['at_s']} s{rows}" if r["killed"] else f"finished before {r['at_s']} s"
        cells = [
            "/".join(str(r[p][k]) for k in ("lost", "extra", "different"))
            for p in ("records", "pseudonyms", "index")
        ]
        points = f"{r['index_points']['got']} / {r['index_points']['want']}"
        lines.append(
            f"| {r['step']} | {at} | {cells[0]} | {cells[1]} | {cells[2]} | {points} | "
            f"{'yes' if r['identical'] else '**no**'} |"
        )
    lines += [
        "",
        "## Bad extracts on a finished store",
        "",
        "| case | exit | records before / after | lost | changed | expected | message |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for c in result["faults"]:
        lines.append(
            f"| {c['case']} | {c['exit']} | {c['records_before']} / {c['records_after']} | "
            f"{c['lost']} | {c['changed']} | {c['expected']} | {c['message'] or '-'} |"
        )
    lines += [
        "",
        "Clean run step times (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in result["timings"].items()),
        "",
        "Not covered here: the server (`benchmarks/reliability_chat.py`, docs/reliability.md), "
        "a full disk and a read-only data dir (tested in `tests/test_cli_errors.py`).",
        "",
    ]
    (docs / "reliability-faults.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # 16 families: enough records for more than one index batch (256 chunks), so a kill
    # can land between two committed batches of every step.
    parser.add_argument("--families", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--points", type=int, default=2, help="kill moments per step")
    parser.add_argument("--workdir", type=Path, default=REPO / ".caselens" / "reliability-faults")
    parser.add_argument("--docs", type=Path, default=REPO / "docs", help="where results go")
    parser.add_argument("--code", default="", help="the commit measured (default: HEAD here)")
    args = parser.parse_args()

    from evals.estate import generate_estate
    from redaction.vault import generate_vault_key

    work = args.workdir
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    estate = work / "estate"
    generate_estate(estate, args.families, args.seed, force=True)
    key = generate_vault_key()

    clean_dir = work / "clean"
    clean_dir.mkdir()
    timings: dict[str, float] = {}
    stages: dict[str, Path] = {}
    for name in ("ingest", "link"):
        timings[name] = step(clean_dir, key, name, estate)
    stages["linked"] = copy(clean_dir, work / "stage-linked")
    timings["redact"] = step(clean_dir, key, "redact", estate)
    stages["redacted"] = copy(clean_dir, work / "stage-redacted")
    timings["index"] = step(clean_dir, key, "index", estate)
    clean = snapshot(clean_dir)
    print(f"clean run: {len(clean['records'])} records, {clean['points']} points", flush=True)

    kills = kill_cases(work, key, estate, clean_dir, clean, stages, args.points)
    faults = fault_cases(work, key, estate, clean_dir)
    write_docs(
        {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "families": args.families,
            "clean": {"records": len(clean["records"]), "points": clean["points"]},
            "timings": {k: round(v, 2) for k, v in timings.items()},
            "kills": kills,
            "faults": faults,
            "code": args.code or _commit(),
        },
        args.docs,
    )
    print("wrote docs/reliability-faults.md", flush=True)


if __name__ == "__main__":
    main()
