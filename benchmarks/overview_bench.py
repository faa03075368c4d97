"""Overview benchmark (issue 23): warm latency of the overview of a large family.

A generated one-family estate has its records repeated (new record ids, same words) until
the family holds at least ``--records`` records; it goes through the production pipeline
(``evals.stack.build_core_stack``: ingest, link, redact, index; kept in ``--workdir`` so a
rerun only measures), then the overview is built for the family and each member as a
social worker (every system) and a family worker, ``--repeat`` times after one warm-up.

    .venv/bin/python benchmarks/overview_bench.py --records 300 --workdir /tmp/overview-bench

Target (issue 23): p95 <= 300 ms warm for a family of 6 with 300 records on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import latency_summary


def _estate(root: Path, records: int, seed: int) -> Path:
    from evals.estate import generate_estate

    estate = root / "estate"
    if (estate / "extracts").is_dir():
        return estate
    generate_estate(estate, families=1, seed=seed)
    files = sorted((estate / "extracts").glob("*/records.jsonl"))
    rows = {f: [json.loads(x) for x in f.read_text("utf-8").splitlines() if x] for f in files}
    have = sum(len(r) for r in rows.values())
    copies = -(-records // max(have, 1))
    for path, lines in rows.items():
        out = []
        for i in range(copies):
            for row in lines:
                rid = row["record_id"] if i == 0 else f"{row['record_id']}-C{i}"
                url = row["source_url"].rsplit("/", 1)[0] + "/" + rid
                out.append(json.dumps(dict(row, record_id=rid, source_url=url)))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return estate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/caselens-overview-bench"))
    parser.add_argument("--out", type=Path, help="write the result JSON here")
    args = parser.parse_args(argv)

    from api import backends
    from evals.stack import build_core_stack
    from retrieval.principal import Principal

    args.workdir.mkdir(parents=True, exist_ok=True)
    estate = _estate(args.workdir, args.records, args.seed)
    stack = build_core_stack(estate, args.workdir / "build", keep=True, progress=print)
    builder: Any = None
    try:
        builder = backends.build_overview_builder(
            stack.settings, embedder=stack.embedder, vectors=stack.vectors, store=stack.store
        )
        person = next(iter(stack.store.iter_people()))
        family = stack.store.family_of(
            str(stack.store.linked_person_of(person.source_system, person.person_id))
        )
        subjects = [family.family_id, *sorted(family.members)]
        result: dict[str, Any] = {"family_members": len(family.members), "roles": {}}
        for role in ("social_worker", "family_worker"):
            principal = Principal.with_caseload(f"bench-{role}", role, [family.family_id])
            shown = builder.build(principal, family.family_id)
            timings = []
            for _ in range(args.repeat):
                for subject in subjects:
                    start = time.perf_counter()
                    builder.build(principal, subject)
                    timings.append((time.perf_counter() - start) * 1000)
            result["roles"][role] = {
                "family_records_shown": shown.records_shown,
                "withheld": shown.withheld_records,
                **latency_summary(timings),
            }
        print(json.dumps(result, indent=2))
        if args.out:
            args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    finally:
        if builder is not None:
            builder.close()
        stack.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
