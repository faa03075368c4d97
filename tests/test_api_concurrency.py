"""``POST /chat`` under load, disconnects and shutdown, over a real uvicorn on 127.0.0.1.

The answers come from the session's real stack. ``Paced`` wraps that real service and
pauses between the items it yields, as a slow generator (Ollama on a busy host) would, so
the tests can hold an answer open on purpose; it also records whether each answer ran to
its end or was closed early (cancelled).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from api_support import build_components, parse_sse, running_server, write_users
from real_stack import DEMO_QUESTION


class Paced:
    """The real answer service, pausing ``pause`` seconds after each item it yields (or,
    with ``hold``, until that event is set: an answer held open for as long as a test
    needs, whatever the host's load)."""

    def __init__(self, service: Any, pause: float, hold: threading.Event | None = None) -> None:
        self._service = service
        self.pause = pause
        self.hold = hold
        self.started = 0  # answers that have yielded their first item
        self.finished = 0
        self.closed_early = 0
        self._lock = threading.Lock()

    def warm(self) -> None:
        self._service.warm()

    def close(self) -> None:
        self._service.close()

    def ask_stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        done = False
        try:
            for n, item in enumerate(self._service.ask_stream(*args, **kwargs)):
                if n == 0:
                    with self._lock:
                        self.started += 1
                yield item
                if self.hold is not None:
                    self.hold.wait(120)
                else:
                    time.sleep(self.pause)
            done = True
        finally:
            with self._lock:
                if done:
                    self.finished += 1
                else:
                    self.closed_early += 1


def _served(
    real_stack: Any,
    tmp_path: Any,
    pause: float = 0.0,
    hold: threading.Event | None = None,
    **settings: Any,
) -> Any:
    """(app, components, users, family, paced service)."""
    from api.app import create_app

    families = sorted(set(real_stack.corpus.subject_of.values()))
    users = write_users(tmp_path, real_stack.policy, families)
    comps = build_components(real_stack, users)
    if settings:
        comps.settings = comps.settings.model_copy(update=settings)
    paced = Paced(real_stack.service(reidentify=True), pause, hold)
    comps.answer_service_factory = lambda: paced
    return create_app(comps.settings, components=comps), comps, users, families[0], paced


def _chat(client: httpx.Client, token: str, family: str, question: str = DEMO_QUESTION) -> Any:
    return client.post(
        "/chat",
        headers={"Authorization": f"Bearer {token}"},
        json={"subject": family, "question": question},
    )


def _wait_for(check: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return bool(check())


def test_more_concurrent_chats_than_server_threads_all_answer(
    real_stack: Any, tmp_path: Any
) -> None:
    """F1: 48 chats at once (the server's thread pool has 40 threads) all get their answer,
    and ``/health`` answers at once while they run."""
    app, _comps, users, family, paced = _served(real_stack, tmp_path, pause=0.01)
    token = users.tokens["api-social_worker"]
    chats = 48
    with running_server(app) as base:
        timeout = httpx.Timeout(60.0, connect=10.0)

        def one(_: int) -> tuple[int, str | None]:
            with httpx.Client(base_url=base, timeout=timeout) as client:
                try:
                    resp = _chat(client, token, family)
                except httpx.TimeoutException:
                    return (0, None)
                events = parse_sse(resp.text) if resp.status_code == 200 else []
                return (resp.status_code, events[-1][0] if events else None)

        with ThreadPoolExecutor(chats) as pool:
            running = [pool.submit(one, i) for i in range(chats)]
            time.sleep(0.5)
            with httpx.Client(base_url=base, timeout=5.0) as probe:
                started = time.monotonic()
                health = probe.get("/health")
                health_s = time.monotonic() - started
            results = [r.result() for r in running]
    assert health.status_code == 200 and health_s < 2.0, health_s
    assert results.count((200, "answer")) == chats, results
    assert paced.finished == chats


def test_a_client_leaving_after_the_first_sentence_blocks_nobody(
    real_stack: Any, tmp_path: Any
) -> None:
    """F2: read the first ``sentence`` event, close the connection; the next chat (another
    user) is answered."""
    app, _comps, users, family, _paced = _served(real_stack, tmp_path, pause=0.2)
    with running_server(app) as base:
        with (
            httpx.Client(base_url=base, timeout=30) as client,
            client.stream(
                "POST",
                "/chat",
                headers={"Authorization": f"Bearer {users.tokens['api-social_worker']}"},
                json={"subject": family, "question": DEMO_QUESTION},
            ) as resp,
        ):
            assert resp.status_code == 200
            seen = ""
            for chunk in resp.iter_text():
                seen += chunk
                if "event: sentence" in seen:
                    break
        assert "event: sentence" in seen
        with httpx.Client(base_url=base, timeout=30) as client:
            nxt = _chat(client, users.tokens["api-evaluator"], family)
        assert nxt.status_code == 200
        assert parse_sse(nxt.text)[-1][0] == "answer"


def test_a_disconnect_cancels_the_answer_and_frees_its_slot(real_stack: Any, tmp_path: Any) -> None:
    """With one answer slot: a client leaves mid-answer, its answer is stopped (not run to
    the end) within a second or so, and the next chat gets the slot."""
    app, _comps, users, family, paced = _served(
        real_stack, tmp_path, pause=0.5, answer_workers=1, answer_queue=0
    )
    token = users.tokens["api-social_worker"]
    with running_server(app) as base:
        with (
            httpx.Client(base_url=base, timeout=30) as client,
            client.stream(
                "POST",
                "/chat",
                headers={"Authorization": f"Bearer {token}"},
                json={"subject": family, "question": DEMO_QUESTION},
            ) as resp,
        ):
            assert resp.status_code == 200
            time.sleep(0.3)  # the answer is under way; leave without reading it
        assert _wait_for(lambda: paced.closed_early == 1, 3.0), (paced.finished, paced.closed_early)
        assert paced.finished == 0
        paced.pause = 0.0
        with httpx.Client(base_url=base, timeout=30) as client:
            nxt = _chat(client, token, family)
        assert nxt.status_code == 200 and parse_sse(nxt.text)[-1][0] == "answer"


def test_over_capacity_is_503_with_retry_after_and_health_still_answers(
    real_stack: Any, tmp_path: Any
) -> None:
    app, comps, users, family, paced = _served(
        real_stack, tmp_path, pause=0.4, answer_workers=1, answer_queue=0
    )
    token = users.tokens["api-social_worker"]
    question = "Has there been any domestic abuse at the home of the family?"
    with running_server(app) as base, ThreadPoolExecutor(1) as pool:
        first = pool.submit(_chat, httpx.Client(base_url=base, timeout=30), token, family)
        assert _wait_for(lambda: comps.answers.in_flight == 1, 5.0)
        with httpx.Client(base_url=base, timeout=10) as client:
            started = time.monotonic()
            busy = _chat(client, token, family, question)
            busy_s = time.monotonic() - started
            health = client.get("/health")
        assert busy.status_code == 503 and busy_s < 2.0
        assert int(busy.headers["Retry-After"]) >= 1
        assert question not in busy.text and "event:" not in busy.text
        assert health.status_code == 200
        assert first.result().status_code == 200
        paced.pause = 0.0
        with httpx.Client(base_url=base, timeout=30) as client:
            again = _chat(client, token, family)
        assert again.status_code == 200 and parse_sse(again.text)[-1][0] == "answer"
    # The refused question is not in the audit log as asked: nothing was answered.
    assert question not in [e.question for e in comps.audit.entries()]


def test_the_answer_is_audited_before_its_first_sentence_is_shown(
    real_stack: Any, tmp_path: Any
) -> None:
    """F13: when the first ``sentence`` event arrives, the ``answer`` audit entry with the
    answer's record ids is already written."""
    app, comps, users, family, _paced = _served(real_stack, tmp_path, pause=0.3)
    start = comps.audit.count()
    with running_server(app) as base:
        body = ""
        actions_at_first_sentence: list[str] = []
        with (
            httpx.Client(base_url=base, timeout=30) as client,
            client.stream(
                "POST",
                "/chat",
                headers={"Authorization": f"Bearer {users.tokens['api-social_worker']}"},
                json={"subject": family, "question": DEMO_QUESTION},
            ) as resp,
        ):
            for chunk in resp.iter_text():
                body += chunk
                if "event: sentence" in body and not actions_at_first_sentence:
                    actions_at_first_sentence = [
                        e.action for e in list(comps.audit.entries())[start:]
                    ]
    assert actions_at_first_sentence == ["question", "answer"]
    answer = parse_sse(body)[-1][1]
    logged = list(comps.audit.entries())[start:][1]
    assert logged.record_ids == [
        f"{c['source_system']}:{c['record_id']}" for c in answer["citations"]
    ]


def test_shutdown_while_answers_stream_takes_seconds(real_stack: Any, tmp_path: Any) -> None:
    """SIGTERM (uvicorn's ``should_exit``) with a slow answer streaming and more waiting:
    the server stops within seconds and the answers in flight are cancelled."""
    from api.app.serving import uvicorn_config

    app, comps, users, family, paced = _served(real_stack, tmp_path, pause=2.0, shutdown_grace_s=1)
    token = users.tokens["api-social_worker"]
    import uvicorn

    server = uvicorn.Server(uvicorn_config(app, comps.settings, "127.0.0.1", 0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert _wait_for(lambda: server.started, 20.0)
    port = server.servers[0].sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    pool = ThreadPoolExecutor(4)

    def one(_: int) -> int:
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                return _chat(client, token, family).status_code
        except httpx.HTTPError:
            return -1

    try:
        for i in range(4):
            pool.submit(one, i)
        assert _wait_for(lambda: comps.answers.in_flight >= 2, 10.0)
        started = time.monotonic()
        server.should_exit = True
        thread.join(timeout=15)
        stopped_s = time.monotonic() - started
        assert not thread.is_alive(), "the server did not stop"
        assert stopped_s < 8.0, stopped_s
        assert _wait_for(lambda: comps.answers.in_flight == 0, 5.0)
        assert paced.finished < 4
    finally:
        server.should_exit = True
        pool.shutdown(wait=False, cancel_futures=True)


@pytest.mark.parametrize(
    ("bad", "status"), [("\ud800 what happened?", 422), ("x" * 1_000_001, 413)]
)
def test_bad_questions_are_refused_without_echo(
    real_stack: Any, tmp_path: Any, bad: str, status: int
) -> None:
    """F6: a lone surrogate is a 422 (it was a 500 with the question in the traceback), a
    1 MB question a 413 (its 422 echoed the megabyte); nothing of the question comes back."""
    app, _comps, users, family, _paced = _served(real_stack, tmp_path)
    import json

    body = json.dumps({"subject": family, "question": bad}, ensure_ascii=True)
    with running_server(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        resp = client.post(
            "/chat",
            headers={
                "Authorization": f"Bearer {users.tokens['api-social_worker']}",
                "Content-Type": "application/json",
            },
            content=body.encode("ascii"),
        )
    assert resp.status_code == status, resp.text[:200]
    assert len(resp.content) < 2_000
    assert "what happened" not in resp.text and "xxxxxxxxxx" not in resp.text


def test_health_answers_while_every_server_thread_is_busy(real_stack: Any, tmp_path: Any) -> None:
    """``/health`` runs on the event loop: with all 40 of the server's worker threads held
    by slow requests (here a test route that waits), it still answers at once."""
    app, _comps, _users, _family, _paced = _served(real_stack, tmp_path)
    release = threading.Event()
    entered: list[int] = []

    @app.get("/_hold_for_test", include_in_schema=False)
    def hold() -> dict[str, bool]:
        entered.append(1)
        return {"released": release.wait(60)}

    with running_server(app) as base, ThreadPoolExecutor(44) as pool:
        try:
            held = [pool.submit(httpx.get, f"{base}/_hold_for_test", timeout=90) for _ in range(44)]
            assert _wait_for(lambda: len(entered) >= 40, 30.0), len(entered)
            started = time.monotonic()
            try:
                health_status = httpx.get(f"{base}/health", timeout=10).status_code
            except httpx.TimeoutException:
                health_status = 0
            health_s = time.monotonic() - started
        finally:
            release.set()
        assert all(h.result().status_code == 200 for h in held)
    assert health_status == 200 and health_s < 3.0, health_s


def test_closing_the_pool_cancels_running_answers_and_waits_for_them(
    real_stack: Any, tmp_path: Any
) -> None:
    """At shutdown the app closes the pool before the store: answers still running are
    cancelled and waited for, so none runs on against a closed database. The answers are
    held open after their first sentence (not paced by the clock), so the steps happen in
    this order on any host: both running, closed, still in flight until they stop."""
    hold = threading.Event()
    app, comps, users, family, paced = _served(
        real_stack, tmp_path, hold=hold, answer_workers=2, answer_queue=2
    )
    with running_server(app) as base, ThreadPoolExecutor(2) as pool:
        chats = [
            pool.submit(_chat, httpx.Client(base_url=base, timeout=120), users.tokens[u], family)
            for u in ("api-social_worker", "api-evaluator")
        ]
        try:
            assert _wait_for(lambda: paced.started == 2, 120.0), paced.started
            comps.answers.close(wait_s=0)  # refuse, cancel, and do not wait
            # Cancelled but still running: their places are not given back before they stop.
            assert comps.answers.in_flight == 2 and paced.closed_early == 0
        finally:
            threading.Timer(0.2, hold.set).start()  # let them go on (close below waits)
        comps.answers.close(wait_s=120)
        assert comps.answers.in_flight == 0
        assert paced.closed_early == 2 and paced.finished == 0
        for chat in chats:
            chat.result()
