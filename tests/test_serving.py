"""``caselens serve``'s keep-alive (``api.app.serving``): the server keeps an idle
connection open longer than clients keep theirs, so a client never sends its next question
on a connection the server is closing at that moment (the reliability suite saw resets
with clients pausing about 5 s between questions: both sides' default was 5 s)."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from api.app.serving import uvicorn_config
from api.settings import load_settings


def test_the_default_outlasts_a_clients_keep_alive(tmp_path) -> None:
    assert load_settings(data_dir=tmp_path).keep_alive_s > httpx.Limits().keepalive_expiry


def _ask(sock: socket.socket) -> bytes:
    """One request on the connection; the whole response (b"" if the server closed it)."""
    sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
    got = b""
    while not got.endswith(b'{"ok":true}'):
        chunk = sock.recv(4096)
        if not chunk:
            break
        got += chunk
    return got


@pytest.mark.parametrize(("keep_alive_s", "open_after_pause"), [(1, False), (4, True)])
def test_an_idle_connection_stays_open_for_the_setting(
    tmp_path, keep_alive_s: int, open_after_pause: bool
) -> None:
    app = FastAPI()
    app.get("/ping")(lambda: {"ok": True})
    settings = load_settings(data_dir=tmp_path, keep_alive_s=keep_alive_s)
    server = uvicorn.Server(uvicorn_config(app, settings, "127.0.0.1", 0))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            assert b"200 OK" in _ask(sock)
            time.sleep(2.0)  # a person reading the answer
            try:
                again = _ask(sock)
            except OSError:
                again = b""
            assert (b"200 OK" in again) is open_after_pause
    finally:
        server.should_exit = True
        thread.join(timeout=10)
