"""Chat reliability: many concurrent SSE chats against a real ``caselens serve``, with
clients that disconnect at random, then SIGTERM. One command:

    .venv/bin/python benchmarks/reliability_chat.py --clients 1,20,50 --seconds 60

It generates an estate (``--families``), builds the real stack once under ``--workdir``
(kept and reused while the extracts and settings are unchanged), writes a users file with
one social worker whose caseload is every family, starts ``caselens serve`` as its own
process, and runs each level of ``--clients`` (concurrent clients, one level after the
other on the same server) for ``--seconds``. Each client loops:
a question about a random family; with probability ``--disconnect`` it reads until the
first event (or just the headers) and closes the connection, otherwise it reads the whole
stream; then it waits ``--think-s`` seconds (0: asks again at once, the hardest load;
a worker reading the answer takes several seconds, so ``--think-s 5`` with 50 clients is
closer to 50 people asking at the same time; each first waits a random part of it, so
they do not all start in the same second). A ``/health`` probe runs alongside in its
own process. At the end the server gets SIGTERM while the largest number of clients is
still asking, and the time it takes to exit is measured. On a shared host, ``--quiet-load
1.5`` waits before each level until the 1-minute load average is at most 1.5.

Reported (``docs/reliability.md`` and ``docs/reliability.json``): answers completed, their
latency from request to the ``answer`` event (p50/p95/max), the server's CPU time per
answer (load-independent, from ``/proc``), 503s (each must carry
``Retry-After``), other errors (any other status, an ``error`` event, a stream that ended
without an answer, a connection error), hangs (no answer within ``--hang-s``), ``/health``
latency, and the SIGTERM stop time. Nothing is timed inside the unit tests; this is
where the figures come from.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.bench_common import percentile  # noqa: E402

QUESTIONS = (
    "What is the history of drug and alcohol misuse in this family?",
    "Has there been any domestic abuse?",
    "What support has the school put in place?",
    "Who lives in the household?",
    "What health needs are recorded for the children?",
    "What happened at the most recent home visit?",
    "Are there concerns about school attendance?",
    "What housing problems has the family had?",
)


@dataclass
class Tally:
    answered: list[float] = field(default_factory=list)  # seconds to the answer event
    disconnected: int = 0
    busy: int = 0
    busy_without_retry_after: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    hangs: int = 0
    health_ms: list[float] = field(default_factory=list)
    health_failures: int = 0
    #: 1-minute load average of the host when the level started and ended.
    load_before: float = 0.0
    load_after: float = 0.0
    #: CPU seconds the server process used during the level (None: not readable here).
    server_cpu_s: float | None = None

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def process_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (Linux ``/proc``; None elsewhere).

    Divided by the answers it gave, this is the server's CPU per answer: unlike latency,
    it hardly depends on what else the host is running."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def wait_for_quiet(limit: float, seconds: float) -> float:
    """Wait (up to ``seconds``) until the host's 1-minute load average is at most ``limit``;
    the load average it ended at."""
    deadline = time.monotonic() + seconds
    while (load := os.getloadavg()[0]) > limit and time.monotonic() < deadline:
        time.sleep(5)
    return load


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build(workdir: Path, families: int, seed: int) -> tuple[dict[str, str], list[str], str]:
    """(server environment, families, token): the real stack built (or reused) under
    ``workdir`` and a users file with one social worker."""
    import yaml

    from api.app.tokens import hash_token, new_token
    from api.settings import load_settings
    from evals.estate import generate_estate
    from evals.stack import build_core_stack

    estate = workdir / "estate"
    if not (estate / "manifest.json").is_file():
        generate_estate(estate, families=families, seed=seed, force=True)
    started = time.perf_counter()
    stack = build_core_stack(estate, workdir / "build", base_settings=load_settings(), keep=True)
    try:
        built_s = time.perf_counter() - started
        subjects = sorted({f for r in stack.store.iter_pseudonymised() for f in r.family_ids})
        settings = stack.settings
    finally:
        stack.close()
    print(f"stack ready in {built_s:.0f} s ({len(subjects)} families)", flush=True)
    token = new_token("rel-social-worker")
    users = workdir / "users.yaml"
    users.write_text(
        yaml.safe_dump(
            {
                "users": {
                    "rel-social-worker": {
                        "role": "social_worker",
                        "caseload": subjects,
                        "token_hash": hash_token(token),
                    }
                }
            }
        ),
        encoding="utf-8",
    )
    users.chmod(0o600)
    env = {
        **os.environ,
        "CASELENS_DATA_DIR": str(settings.data_dir),
        "CASELENS_USERS_PATH": str(users),
        "CASELENS_VAULT_KEY": settings.vault_key.get_secret_value() if settings.vault_key else "",
        "CASELENS_PROGRESS": "false",
    }
    return env, subjects, token


async def client_loop(
    base: str, token: str, families: list[str], args: argparse.Namespace, tally: Tally, stop: float
) -> None:
    import httpx

    rng = random.Random()
    headers = {"Authorization": f"Bearer {token}"}
    timeout = httpx.Timeout(args.hang_s, connect=10.0)
    async with httpx.AsyncClient(base_url=base, timeout=timeout) as client:
        if args.think_s:  # people do not all press Enter in the same second
            await asyncio.sleep(rng.uniform(0, args.think_s))
        while time.monotonic() < stop:
            body = {"subject": rng.choice(families), "question": rng.choice(QUESTIONS)}
            leave = rng.random() < args.disconnect
            started = time.monotonic()
            try:
                async with client.stream("POST", "/chat", json=body, headers=headers) as resp:
                    if resp.status_code == 503:
                        tally.busy += 1
                        if "retry-after" not in resp.headers:
                            tally.busy_without_retry_after += 1
                        await resp.aread()
                        await asyncio.sleep(float(resp.headers.get("retry-after", "1")))
                        continue
                    if resp.status_code != 200:
                        tally.error(f"status {resp.status_code}")
                        continue
                    if leave and rng.random() < 0.5:
                        tally.disconnected += 1  # leave right after the headers
                        continue
                    text = ""
                    async for chunk in resp.aiter_text():
                        text += chunk
                        if leave and "\n\n" in text:
                            break
                    if leave:
                        tally.disconnected += 1
                        continue
                    if "event: answer" in text:
                        tally.answered.append(time.monotonic() - started)
                        if args.think_s:
                            await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think_s)
                    elif "event: error" in text:
                        tally.error("error event")
                    else:
                        tally.error("stream ended without an answer")
            except httpx.TimeoutException:
                tally.hangs += 1
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)


def health_probe(base: str, seconds: float, out: Any) -> None:
    """In its own process (so the load generator's event loop does not delay it): GET
    /health twice a second; sends (latencies in ms, failures) down ``out``."""
    import httpx

    latencies: list[float] = []
    failures = 0
    stop = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=30.0) as client:
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                ok = client.get("/health").status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append((time.monotonic() - started) * 1000)
            else:
                failures += 1
            time.sleep(0.5)
    out.send((latencies, failures))
    out.close()


async def load(
    base: str,
    token: str,
    families: list[str],
    clients: int,
    args: argparse.Namespace,
    server_pid: int | None = None,
) -> Tally:
    import multiprocessing

    tally = Tally()
    tally.load_before = os.getloadavg()[0]
    cpu_before = process_cpu_s(server_pid) if server_pid else None
    receive, send = multiprocessing.Pipe(duplex=False)
    probe = multiprocessing.get_context("spawn").Process(
        target=health_probe, args=(base, args.seconds, send)
    )
    probe.start()
    stop = time.monotonic() + args.seconds
    await asyncio.gather(
        *(client_loop(base, token, families, args, tally, stop) for _ in range(clients))
    )
    tally.health_ms, tally.health_failures = receive.recv()
    probe.join()
    tally.load_after = os.getloadavg()[0]
    cpu_after = process_cpu_s(server_pid) if server_pid else None
    if cpu_before is not None and cpu_after is not None:
        tally.server_cpu_s = cpu_after - cpu_before
    return tally


async def sigterm_under_load(
    base: str,
    token: str,
    families: list[str],
    clients: int,
    args: argparse.Namespace,
    proc: subprocess.Popen[bytes],
) -> float | None:
    """SIGTERM while ``clients`` are asking (answers in flight and queued): seconds until
    the server process exits, or None if it is still running after a minute."""
    tally = Tally()  # what the clients see while the server stops is not scored
    stop = time.monotonic() + 90
    tasks = [
        asyncio.ensure_future(client_loop(base, token, families, args, tally, stop))
        for _ in range(clients)
    ]
    await asyncio.sleep(3.0)
    sent = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    stopped: float | None = None
    while time.monotonic() - sent < 60:
        if proc.poll() is not None:
            stopped = time.monotonic() - sent
            break
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return stopped


def wait_ready(base: str, proc: subprocess.Popen[bytes], seconds: float) -> float:
    import httpx

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if proc.poll() is not None:
            raise SystemExit(f"caselens serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("caselens serve did not come up")


def add_estate_options(parser: argparse.ArgumentParser) -> None:
    """The estate, work folder and results folder every script of the suite shares."""
    parser.add_argument("--families", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=REPO / ".caselens" / "reliability")
    parser.add_argument("--out", type=Path, default=REPO / "docs")


def built(args: argparse.Namespace) -> tuple[dict[str, str], list[str], str]:
    """``build`` for the parsed ``add_estate_options`` (the work folder made first)."""
    args.workdir.mkdir(parents=True, exist_ok=True)
    return build(args.workdir, args.families, args.seed)


@contextlib.contextmanager
def served(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, float]]:
    """A ``caselens serve`` process on a free port with ``env``, its output in ``log_path``:
    (base URL, seconds from start to ready); SIGTERM (then SIGKILL after 30 s) on exit."""
    port = _free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve"],
            cwd=REPO,
            env={**env, "CASELENS_API_PORT": str(port)},
            stdout=log,
            stderr=log,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            yield base, wait_ready(base, proc, 300)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--clients", default="1,20,50", help="comma-separated concurrency levels, run in turn"
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--disconnect", type=float, default=0.3, help="share that leave early")
    parser.add_argument(
        "--think-s", type=float, default=0.0, help="mean pause after an answer (0: none)"
    )
    parser.add_argument("--hang-s", type=float, default=30.0, help="no answer by then: a hang")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=0.0,
        help="before each level, wait until the host's 1-minute load average is at most "
        "this (0: do not wait; on a shared host, measure when it is quiet)",
    )
    parser.add_argument(
        "--quiet-wait-s", type=float, default=600.0, help="the longest wait for --quiet-load"
    )
    add_estate_options(parser)
    args = parser.parse_args()
    levels = [int(x) for x in str(args.clients).split(",") if x.strip()]
    env, families, token = built(args)
    port = _free_port()
    env["CASELENS_API_PORT"] = str(port)
    base = f"http://127.0.0.1:{port}"
    log = (args.workdir / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve"], cwd=REPO, env=env, stdout=log, stderr=log
    )
    try:
        ready_s = wait_ready(base, proc, 300)
        print(f"server ready in {ready_s:.1f} s", flush=True)
        tallies: dict[int, Tally] = {}
        for level in levels:
            if args.quiet_load:
                quiet = wait_for_quiet(args.quiet_load, args.quiet_wait_s)
                print(f"host load {quiet:.1f}", flush=True)
            print(f"{level} clients for {args.seconds} s", flush=True)
            tallies[level] = asyncio.run(load(base, token, families, level, args, proc.pid))
        print(f"SIGTERM with {max(levels)} clients asking", flush=True)
        stop_s = asyncio.run(sigterm_under_load(base, token, families, max(levels), args, proc))
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()
    result = report(args, tallies, ready_s, stop_s, proc.returncode)
    args.out.mkdir(parents=True, exist_ok=True)
    runs = [result, *earlier_runs(args.out / "reliability.json")][:KEEP_RUNS]
    (args.out / "reliability.json").write_text(json.dumps({"runs": runs}, indent=2) + "\n")
    (args.out / "reliability.md").write_text(markdown(runs))
    print(json.dumps(result, indent=2))


def report(
    args: argparse.Namespace,
    tallies: dict[int, Tally],
    ready_s: float,
    stop_s: float | None,
    rc: int | None,
) -> dict[str, Any]:
    levels = []
    for clients, tally in tallies.items():
        ms = [s * 1000 for s in tally.answered]
        levels.append(
            {
                "clients": clients,
                "answered": len(ms),
                "answers_per_s": round(len(ms) / args.seconds, 1),
                "answer_p50_ms": round(percentile(ms, 50), 1),
                "answer_p95_ms": round(percentile(ms, 95), 1),
                "answer_max_ms": round(max(ms), 1) if ms else 0.0,
                "disconnected": tally.disconnected,
                "busy_503": tally.busy,
                "busy_503_without_retry_after": tally.busy_without_retry_after,
                "errors": tally.errors,
                "hangs": tally.hangs,
                "health_p95_ms": round(percentile(tally.health_ms, 95), 1),
                "health_max_ms": round(max(tally.health_ms), 1) if tally.health_ms else 0.0,
                "health_failures": tally.health_failures,
                "host_load_before_after": [
                    round(tally.load_before, 1),
                    round(tally.load_after, 1),
                ],
                # Every request's CPU (those left early too) over the answers completed.
                "server_cpu_ms_per_answer": (
                    round(tally.server_cpu_s * 1000 / len(ms), 1)
                    if tally.server_cpu_s is not None and ms
                    else None
                ),
            }
        )
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "host": f"{platform.machine()}, {os.cpu_count()} cores",
        "seconds_per_level": args.seconds,
        "disconnect_share": args.disconnect,
        "think_s": args.think_s,
        "families": args.families,
        "hang_threshold_s": args.hang_s,
        "levels": levels,
        "server_ready_s": round(ready_s, 1),
        "sigterm_stop_s": round(stop_s, 2) if stop_s is not None else None,
        "server_exit_code": rc,
    }


#: Runs kept in the results (newest first): on a shared host one run is not the whole story.
KEEP_RUNS = 5


def earlier_runs(path: Path) -> list[dict[str, Any]]:
    """The runs already in ``path`` (a single run of the first format counts as one)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if isinstance(data, dict) and isinstance(data.get("runs"), list):
        return [r for r in data["runs"] if isinstance(r, dict) and "levels" in r]
    return [data] if isinstance(data, dict) and "levels" in data else []


def markdown(runs: list[dict[str, Any]]) -> str:
    latest = runs[0]
    parts = [_run_table(r) for r in runs]
    return f"""# Chat reliability

Written by `benchmarks/reliability_chat.py` (its last {len(runs)} run(s), newest first;
rerun it to add one). A real `caselens serve` process over a generated estate
({latest["families"]} families, extractive generator, default settings: one answer worker
per core, queue of 64). Each level runs {latest["seconds_per_level"]:.0f} s of concurrent
clients, each asking one question after another about a random family;
{latest["disconnect_share"]:.0%} of requests leave early (half right after the headers,
half after the first event, and ask again at once); after an answer a client pauses
{latest.get("think_s", 0.0):.0f} s on average (a random 0.5 to 1.5 times that, as a worker
reads the answer; 0: it asks again at once), after a 503 it waits the `Retry-After`, and
the clients start spread over the first pause. At the end the server gets
SIGTERM while the most clients are asking. Host: {latest["host"]}, shared with the load
generator (and, on the development machine, with other work).

Latency is measured by the client from sending the request to receiving the `answer`
event, so it includes queueing for one of the answer workers and the client's own share
of the cores. Throughput is bounded by the cores: at N clients the latency is about N
divided by the answers per second. "Host load" is the 1-minute load average of the
machine: above the number of cores, other processes were competing for the CPU and every
figure is slower than on a machine of its own. "Server CPU per answer" is the CPU time the
server process used during the level divided by the answers it completed (the work of
requests that left early included): unlike latency it hardly depends on the host's load.

{chr(10).join(parts)}"""


def _run_table(r: dict[str, Any]) -> str:
    rows = []
    for lv in r["levels"]:
        errors = ", ".join(f"{k}: {v}" for k, v in lv["errors"].items()) or "0"
        rows.append(
            f"| {lv['clients']} | {lv['answered']} ({lv['answers_per_s']}/s) | "
            f"{lv['answer_p50_ms']} / {lv['answer_p95_ms']} / {lv['answer_max_ms']} | "
            f"{lv['disconnected']} | {lv['busy_503']} ({lv['busy_503_without_retry_after']}) | "
            f"{errors} | {lv['hangs']} | {lv['health_p95_ms']} / {lv['health_max_ms']} | "
            f"{lv['host_load_before_after'][0]} / {lv['host_load_before_after'][1]} | "
            f"{lv.get('server_cpu_ms_per_answer') or '-'} |"
        )
    stop = f"{r['sigterm_stop_s']} s" if r["sigterm_stop_s"] is not None else "did not stop"
    table = "\n".join(rows)
    header = (
        "| clients | answers | answer latency p50 / p95 / max (ms) | left early "
        "| 503 (without `Retry-After`) | other errors "
        f"| hangs (> {r['hang_threshold_s']:.0f} s) | `/health` p95 / max (ms) "
        "| host load, start / end | server CPU per answer (ms) |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    return f"""## {r["when"]}

{header}
{table}

Clients paused {r.get("think_s", 0.0):.0f} s after each answer. Server start to ready:
{r["server_ready_s"]} s. SIGTERM, sent while
{max(lv["clients"] for lv in r["levels"])} clients were asking, to exit: {stop} (exit code
{r["server_exit_code"]}).
"""


if __name__ == "__main__":
    main()
