"""Real listeners for the actions tests: an HTTP server that records requests and answers from a
script, and syslog receivers on real TCP and UDP sockets; plus the store engines of
tests/store (a real DuckDB file and a real PostgreSQL)."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.store.conftest import engine, pg_url  # noqa: F401  (fixtures reused here)
from tests.web.conftest import api  # noqa: F401


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HttpListener:
    """Answers each POST with the next status of ``script`` (then ``default``); records all."""

    url: str
    requests: list[Request] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    default: int = 200
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def http_listener() -> Iterator[HttpListener]:
    state = HttpListener(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with state.lock:
                state.requests.append(Request(self.path, dict(self.headers), body))
                status = state.script.pop(0) if state.script else state.default
            payload = b'{"text":"Success","code":0}' if status == 200 else b'{"error":"no"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class SocketListener:
    port: int
    received: list[bytes] = field(default_factory=list)


@pytest.fixture
def tcp_listener() -> Iterator[SocketListener]:
    """A TCP receiver keeping each connection's raw bytes (framing is checked by the test)."""
    state = SocketListener(0)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            chunks = []
            while data := self.request.recv(65536):
                chunks.append(data)
            state.received.append(b"".join(chunks))

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def udp_listener() -> Iterator[SocketListener]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.2)
    state = SocketListener(sock.getsockname()[1])
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                state.received.append(sock.recv(65536))
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        thread.join(2)
        sock.close()
