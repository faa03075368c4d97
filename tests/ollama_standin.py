"""A local stand-in for an Ollama server, driven by a queue of scripted replies.

No Ollama exists on the test machines, so tests talk to this instead: a real HTTP server
on 127.0.0.1 (free port) in a thread, speaking the parts of Ollama's API the client uses:

- ``POST /api/chat``: streaming (NDJSON over chunked transfer, the default) or not
  (``"stream": false``: one JSON object), the same fields Ollama sends;
- ``GET /api/tags``, ``GET /api/version``, ``POST /api/show``.

Each chat request takes the next ``Reply`` from the queue (like simonw/llm's scripted
mock model), so a test states exactly what the "model" says and how the stream is cut.
Requests are recorded so tests can check what was sent. An empty queue answers HTTP 500,
so a test that asks more than it scripted fails loudly.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """What the fake model answers to one chat request.

    ``pieces``: how a streamed reply is cut (default: the whole content in one piece).
    ``status``/``error``: answer with an HTTP error instead (Ollama's ``{"error": ...}``).
    ``error_after``: stream that many pieces, then an in-stream ``{"error": ...}`` line.
    ``delay_s``: wait before answering (to trip client time-outs).
    ``gate``/``gate_after``: after sending ``gate_after`` pieces, wait until the test sets
    ``gate`` (proves the client yields sentences before the stream has finished).
    """

    content: str = ""
    pieces: tuple[str, ...] | None = None
    status: int = 200
    error: str = ""
    error_after: int | None = None
    delay_s: float = 0.0
    gate: threading.Event | None = None
    gate_after: int = 0

    def stream_pieces(self) -> tuple[str, ...]:
        pieces = self.pieces if self.pieces is not None else (self.content,)
        if "".join(pieces) != self.content and self.content:
            raise ValueError("Reply.pieces must join to Reply.content")
        return pieces


def split_every(text: str, size: int) -> tuple[str, ...]:
    """Cut text into ``size``-character pieces (sentences split mid-word, as models stream)."""
    return tuple(text[i : i + size] for i in range(0, len(text), size))


@dataclass
class OllamaStandIn:
    """Start with ``with OllamaStandIn() as server:``; ``server.url`` is its base URL."""

    models: tuple[str, ...] = ("llama3.1:8b",)
    version: str = "0.6.3"
    requests: list[dict[str, Any]] = field(default_factory=list)
    _queue: deque[Reply] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None

    # --- scripting ---------------------------------------------------------------------

    def script(self, *replies: Reply | str) -> None:
        """Queue replies (a plain string is a streamed reply in one piece)."""
        with self._lock:
            for reply in replies:
                self._queue.append(Reply(content=reply) if isinstance(reply, str) else reply)

    def _next_reply(self) -> Reply | None:
        with self._lock:
            return self._queue.popleft() if self._queue else None

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        return [r["body"] for r in self.requests if r["path"] == "/api/chat"]

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("stand-in not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> OllamaStandIn:
        handler = _make_handler(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> OllamaStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _make_handler(standin: OllamaStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            return

        # --- helpers -------------------------------------------------------------------

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            return json.loads(raw) if raw else {}

        def _json(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _chunk(self, payload: dict[str, Any]) -> None:
            line = json.dumps(payload).encode() + b"\n"
            self.wfile.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
            self.wfile.flush()

        def _record(self, body: dict[str, Any]) -> None:
            with standin._lock:
                standin.requests.append({"method": self.command, "path": self.path, "body": body})

        # --- routes --------------------------------------------------------------------

        def do_GET(self) -> None:
            self._record({})
            if self.path == "/api/version":
                self._json(200, {"version": standin.version})
            elif self.path == "/api/tags":
                self._json(200, {"models": [_tag(m) for m in standin.models]})
            else:
                self._json(404, {"error": "not found"})

        def do_HEAD(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self) -> None:
            body = self._body()
            self._record(body)
            if self.path == "/api/show":
                self._show(body)
            elif self.path == "/api/chat":
                self._chat(body)
            else:
                self._json(404, {"error": "not found"})

        def _show(self, body: dict[str, Any]) -> None:
            model = body.get("model") or body.get("name")
            if model not in standin.models:
                self._json(404, {"error": f"model '{model}' not found"})
                return
            self._json(
                200,
                {
                    "modelfile": f"FROM {model}",
                    "parameters": "temperature 0",
                    "template": "{{ .Prompt }}",
                    "details": _details(),
                    "model_info": {"general.architecture": "llama"},
                    "capabilities": ["completion"],
                    "modified_at": _now(),
                },
            )

        def _chat(self, body: dict[str, Any]) -> None:
            model = body.get("model", "")
            if model not in standin.models:
                self._json(404, {"error": f'model "{model}" not found, try pulling it first'})
                return
            reply = standin._next_reply()
            if reply is None:
                self._json(500, {"error": "stand-in: no scripted reply left"})
                return
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.status != 200:
                self._json(reply.status, {"error": reply.error or "scripted failure"})
                return
            if body.get("stream", True) is False:
                self._json(
                    200,
                    {**_head(model), "message": _message(reply.content), **_done(reply.content)},
                )
                return
            try:
                self._stream(model, reply)
            except (BrokenPipeError, ConnectionResetError):
                return  # the client gave up (time-out test); nothing to clean up

        def _stream(self, model: str, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i, piece in enumerate(reply.stream_pieces()):
                if reply.gate is not None and i == reply.gate_after:
                    reply.gate.wait(timeout=10)
                if reply.error_after is not None and i == reply.error_after:
                    self._chunk({"error": reply.error or "scripted stream failure"})
                    break
                self._chunk({**_head(model), "message": _message(piece), "done": False})
            else:
                self._chunk({**_head(model), "message": _message(""), **_done(reply.content)})
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler


def _head(model: str) -> dict[str, Any]:
    return {"model": model, "created_at": _now()}


def _message(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def _done(content: str) -> dict[str, Any]:
    return {
        "done": True,
        "done_reason": "stop",
        "total_duration": 1_000_000,
        "load_duration": 1_000,
        "prompt_eval_count": 100,
        "prompt_eval_duration": 1_000,
        "eval_count": max(1, len(content.split())),
        "eval_duration": 1_000,
    }


def _details() -> dict[str, Any]:
    return {
        "parent_model": "",
        "format": "gguf",
        "family": "llama",
        "families": ["llama"],
        "parameter_size": "8.0B",
        "quantization_level": "Q4_K_M",
    }


def _tag(model: str) -> dict[str, Any]:
    return {
        "name": model,
        "model": model,
        "modified_at": _now(),
        "size": 4_920_753_328,
        "digest": "0" * 64,
        "details": _details(),
    }
