"""HTTP fuzz of every route: schemathesis against caselens's own OpenAPI schema, on a real
``caselens serve`` over a generated estate. One command:

    .venv/bin/python benchmarks/reliability_fuzz.py --examples 40

It builds (or reuses) the reliability suite's estate and stack
(``benchmarks/reliability_chat.py``, same ``--workdir``), starts ``caselens serve`` with its
log captured, loads ``/openapi.json`` and, for every operation, sends ``--examples``
requests schemathesis generates from the schema (valid ones, and with ``--negative`` as
many that break it: wrong types, missing fields, out-of-range values), signed in as a
social worker whose caseload is every family. Each response is checked:

- no 5xx (a 503 with ``Retry-After`` under load is allowed; there is no load here);
- no known identifier of anyone in the estate (full names, dates of birth, NHS numbers, ...
  from the case store, through the leak scanner's strong matches) in any error response
  (4xx): an error must never echo case data;

and at the end the server's whole log (access and error lines) is scanned the same way.
A 2xx answer to the social worker may name people: that is the product working.

Reported (``docs/reliability-fuzz.md``, ``.json``): requests per operation and status class,
5xx, identifiers found in error responses and in the log. ``tests/test_api_fuzz.py`` runs a
few examples per operation in process (``fuzz``) as part of the tests.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.reliability_chat import add_estate_options, built, served  # noqa: E402


@dataclass
class FuzzTally:
    """What the fuzz saw: statuses per operation, server errors and leaks (masked)."""

    statuses: dict[str, Counter[int]] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    unsendable: int = 0  # requests the HTTP client refused to send (e.g. a bad header)

    def record(self, label: str, status: int) -> None:
        self.statuses.setdefault(label, Counter())[status] += 1

    @property
    def requests(self) -> int:
        return sum(sum(c.values()) for c in self.statuses.values())


def fuzz(
    schema: Any,
    headers: Mapping[str, str],
    examples: int,
    find_leaks: Any,
    *,
    base_url: str | None = None,
    negative: bool = True,
    subjects: Sequence[str] = (),
    skip: Iterable[str] = (),
    derandomize: bool = False,
) -> FuzzTally:
    """Send ``examples`` generated requests per operation of ``schema`` (and as many
    schema-breaking ones with ``negative``, and as many again with a real subject from
    ``subjects`` wherever the operation takes one, so the answer, overview and timeline
    code runs on fuzzed questions and filters); ``find_leaks(text)`` lists identifiers
    found in a text (masked). Operations whose label is in ``skip`` are left out;
    ``derandomize`` makes the requests the same on every run (tests)."""
    from hypothesis import strategies as st
    from schemathesis import GenerationMode

    tally = FuzzTally()
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if negative else [])
    skipped = set(skip)
    components = schema.raw_schema.get("components", {}).get("schemas", {})
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in skipped:
            continue
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode)
            _fuzz_one(
                operation, strategy, examples, headers, find_leaks, base_url, tally, derandomize
            )
        if subjects and _takes_subject(operation, components):
            real = st.tuples(operation.as_strategy(), st.sampled_from(list(subjects)))
            strategy = real.map(lambda pair: _with_subject(*pair))
            _fuzz_one(
                operation, strategy, examples, headers, find_leaks, base_url, tally, derandomize
            )
    return tally


def _takes_subject(operation: Any, components: Mapping[str, Any]) -> bool:
    """A ``subject`` path or query parameter, or a JSON body (``$ref``) with one."""
    if any(p.name == "subject" for p in operation.iter_parameters()):
        return True
    body = json.dumps(operation.definition.raw.get("requestBody", {}))
    names = [ref.rsplit("/", 1)[-1] for ref in re.findall(r'"\$ref": "([^"]+)"', body)]
    return any("subject" in components.get(name, {}).get("properties", {}) for name in names)


def _with_subject(case: Any, subject: str) -> Any:
    """``case`` about ``subject`` wherever it names one (path, query or JSON body)."""
    for part in (case.path_parameters, case.query):
        if isinstance(part, dict) and "subject" in part:
            part["subject"] = subject
    if isinstance(case.body, dict) and "subject" in case.body:
        case.body["subject"] = subject
    return case


def _fuzz_one(
    operation: Any,
    strategy: Any,
    examples: int,
    headers: Mapping[str, str],
    find_leaks: Any,
    base_url: str | None,
    tally: FuzzTally,
    derandomize: bool,
) -> None:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable

    label = operation.label

    @settings(
        max_examples=examples,
        derandomize=derandomize,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def one(case: Any) -> None:
        try:
            response = case.call(base_url=base_url, headers=dict(headers))
        except Exception as exc:  # the client refused to send it (not the server)
            if type(exc).__module__.startswith(("requests", "urllib3", "http")):
                tally.unsendable += 1
                return
            raise
        status = int(response.status_code)
        tally.record(label, status)
        if status >= 500 and not (status == 503 and "retry-after" in response.headers):
            tally.server_errors.append(f"{label} -> {status}")
        if 400 <= status < 500:
            for hit in find_leaks(response.text):
                tally.leaks.append(f"{label} -> {status}: {hit}")

    with contextlib.suppress(Unsatisfiable):  # nothing to break (no parameters)
        one()


def leak_finder(settings: Any) -> Any:
    """``text -> [masked hits]``: strong evidence of the known identifiers of the estate's
    people (a full name, an NHS number, a phone, an address, a date of birth after a birth
    cue; a lone given name or a bare date is weak evidence and not counted)."""
    from api import backends

    with backends.open_case_store(settings) as store:
        scanner = backends.build_leak_scanner(settings, list(store.iter_people()))
    return lambda text: [
        f"{h.kind} {h.masked}" for h in scanner.find(text) if h.strength == "strong"
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=40, help="requests per operation")
    parser.add_argument("--no-negative", action="store_true", help="schema-valid requests only")
    add_estate_options(parser)
    args = parser.parse_args()
    from schemathesis import openapi

    from api.settings import load_settings

    env, families, token = built(args)
    settings = load_settings(data_dir=Path(env["CASELENS_DATA_DIR"]))
    find_leaks = leak_finder(settings)
    log_path = args.workdir / "fuzz-serve.log"
    started = time.monotonic()
    with served(env, log_path) as (base, _ready_s):
        schema = openapi.from_url(f"{base}/openapi.json")
        tally = fuzz(
            schema,
            {"Authorization": f"Bearer {token}"},
            args.examples,
            find_leaks,
            base_url=base,
            negative=not args.no_negative,
            subjects=families,
        )
    seconds = time.monotonic() - started
    log_text = log_path.read_text(encoding="utf-8", errors="replace")
    log_leaks = find_leaks(log_text)
    tracebacks = log_text.count("Traceback (most recent call last)")
    result = report(args, tally, log_leaks, tracebacks, seconds)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "reliability-fuzz.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "reliability-fuzz.md").write_text(markdown(result))
    print(json.dumps({k: v for k, v in result.items() if k != "operations"}, indent=2))
    if result["server_errors"] or result["error_response_leaks"] or log_leaks:
        raise SystemExit(1)


def report(
    args: argparse.Namespace,
    tally: FuzzTally,
    log_leaks: list[str],
    tracebacks: int,
    seconds: float,
) -> dict[str, Any]:
    operations = {
        label: {str(status): n for status, n in sorted(counts.items())}
        for label, counts in sorted(tally.statuses.items())
    }
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host": f"{platform.machine()}, {os.cpu_count()} cores",
        "examples_per_operation": args.examples,
        "negative": not args.no_negative,
        "operations": operations,
        "operation_count": len(operations),
        "requests": tally.requests,
        "unsendable": tally.unsendable,
        "server_errors": tally.server_errors,
        "error_response_leaks": tally.leaks,
        "log_leaks": log_leaks,
        "log_tracebacks": tracebacks,
        "seconds": round(seconds, 1),
    }


def markdown(r: dict[str, Any]) -> str:
    rows = "\n".join(
        f"| `{label}` | {sum(c.values())} | " + ", ".join(f"{s}: {n}" for s, n in c.items()) + " |"
        for label, c in r["operations"].items()
    )
    errors = "; ".join(r["server_errors"]) or "none"
    leaks = "; ".join(r["error_response_leaks"] + r["log_leaks"]) or "none"
    return f"""# HTTP fuzz of every route

Written by `benchmarks/reliability_fuzz.py` ({r["when"]}; host {r["host"]}). schemathesis
generated {r["examples_per_operation"]} requests per operation from caselens's own
`/openapi.json`{" and as many that break the schema" if r["negative"] else ""} (and as
many again about a real family wherever an operation takes a subject), sent to
a real `caselens serve` over a generated estate, signed in as a social worker whose
caseload is every family. Every error response (4xx), and the server's whole log, was
scanned for the known identifiers of every person in the estate (the leak scanner).

- operations: {r["operation_count"]}; requests: {r["requests"]} (plus {r["unsendable"]} the
  HTTP client would not send); {r["seconds"]} s
- server errors (5xx): {errors}
- identifiers in error responses or the log: {leaks}
- tracebacks in the log: {r["log_tracebacks"]}

| operation | requests | statuses |
| --- | --- | --- |
{rows}
"""


if __name__ == "__main__":
    main()
