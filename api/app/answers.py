"""Answers run concurrently, bounded by the cores: ``AnswerPool`` and ``AnswerStream``.

Why this shape: answering is CPU-bound (embedding, relevance, verification), so at most
``workers`` answers run at once, each on its own pool thread from start to finish (the
answer service's generator never changes thread and is closed where it ran). The thread
never waits on the client: it hands each event to the request's stream through a queue,
so a slow or vanished reader holds no slot, no lock and no server thread. At most
``workers + queue`` answers are admitted at a time; one more is refused at once with
``Busy`` (503 with ``Retry-After``), never left hanging. A client that disconnects
cancels its answer: a queued one is dropped, a running one stops at its next step and
closes the service's generator. Nothing here touches the server's own thread pool, so
``/health`` and sign-in never wait on answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import threading
import time
from collections.abc import AsyncIterator, Callable, Generator
from concurrent.futures import Future, ThreadPoolExecutor

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

#: Produces an answer's events (SSE text), stopping early when the event is set.
Produce = Callable[[threading.Event], Generator[str, None, None]]


class Busy(Exception):
    """Every answer slot and queue place is taken: try again after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("the answer service is busy")
        self.retry_after = retry_after


class AnswerPool:
    """``workers`` threads that run answers; admission bounded by ``workers + queue``."""

    def __init__(self, workers: int = 0, queue: int = 0) -> None:
        if workers < 0 or queue < 0:
            raise ValueError("workers and queue must be 0 or more")
        self.workers = workers or os.cpu_count() or 1
        self.capacity = self.workers + queue
        self._executor = ThreadPoolExecutor(self.workers, thread_name_prefix="caselens-answer")
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._in_flight = 0
        self._tickets: set[Ticket] = set()
        #: Seconds an answer took, smoothed (for ``Retry-After``).
        self._typical_s = 1.0
        self._closed = False

    @property
    def in_flight(self) -> int:
        """Answers admitted and not yet finished (queued or running)."""
        return self._in_flight

    def admit(self) -> Ticket:
        """A place for one answer, or ``Busy``."""
        with self._lock:
            if self._closed or self._in_flight >= self.capacity:
                waits = max(self._in_flight - self.workers + 1, 1) / self.workers
                raise Busy(max(1, math.ceil(waits * self._typical_s)))
            self._in_flight += 1
            ticket = Ticket(self)
            self._tickets.add(ticket)
        return ticket

    def _finished(self, ticket: Ticket, seconds: float | None) -> None:
        with self._lock:
            self._in_flight -= 1
            self._tickets.discard(ticket)
            if seconds is not None:
                self._typical_s = 0.8 * self._typical_s + 0.2 * seconds
            self._idle.notify_all()

    def _submit(self, run: Callable[[], None]) -> Future[None]:
        return self._executor.submit(run)

    def close(self, wait_s: float = 10.0) -> None:
        """Refuse new answers, drop queued ones, cancel running ones and wait up to
        ``wait_s`` for them to stop (so the store is not closed under them)."""
        with self._lock:
            self._closed = True
            tickets = list(self._tickets)
        for ticket in tickets:
            ticket.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            self._idle.wait_for(lambda: self._in_flight == 0, timeout=wait_s)


class Ticket:
    """One admitted answer. Released exactly once: when its run ends, when it is dropped
    before starting, or when its response ends without ever starting it."""

    def __init__(self, pool: AnswerPool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._released = False
        self._future: Future[None] | None = None
        self.cancelled = threading.Event()

    def release(self, seconds: float | None = None) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._pool._finished(self, seconds)

    def start(self, produce: Produce, emit: Callable[[str | None], None]) -> None:
        """Run ``produce`` on a pool thread; every event goes to ``emit``, then ``None``."""

        def run() -> None:
            started = time.monotonic()
            try:
                if self.cancelled.is_set():
                    return
                with contextlib.closing(produce(self.cancelled)) as events:
                    for item in events:
                        if self.cancelled.is_set():
                            break
                        emit(item)
            finally:
                self.release(time.monotonic() - started)
                emit(None)

        def dropped(future: Future[None]) -> None:
            if future.cancelled():  # never ran: cancelled while queued, or the pool closed
                self.release()
                emit(None)

        try:
            self._future = self._pool._submit(run)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self.release()
            emit(None)
            return
        self._future.add_done_callback(dropped)

    @property
    def started(self) -> bool:
        return self._future is not None

    def cancel(self) -> None:
        self.cancelled.set()
        if self._future is not None:
            self._future.cancel()


class AnswerStream(StreamingResponse):
    """Server-sent events of one admitted answer, run on the ``AnswerPool``.

    The events are read from a queue the pool thread fills; when the response ends for
    any reason (done, client gone, server stopping) the answer is cancelled and its
    ticket released.
    """

    def __init__(self, ticket: Ticket, produce: Produce, headers: dict[str, str]) -> None:
        self._ticket = ticket
        self._produce = produce
        super().__init__(self._events(), media_type="text/event-stream", headers=headers)

    async def _events(self) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str | None] = asyncio.Queue()

        def emit(item: str | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop is gone: nobody is reading
                self._ticket.cancelled.set()

        self._ticket.start(self._produce, emit)
        try:
            while (item := await queue.get()) is not None:
                yield item
        finally:
            self._ticket.cancel()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            body = self.body_iterator
            if isinstance(body, AsyncIterator) and hasattr(body, "aclose"):
                await body.aclose()
            self._ticket.cancel()
            if not self._ticket.started:  # the client left before the answer began
                self._ticket.release()
