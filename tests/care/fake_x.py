"""A local stand-in for the X API v2 write endpoints, for testing `XChannel` over real HTTP.

It records every request it receives and answers from a script (then with X's documented
success bodies once the script is used up). The canned replies copy X's documented
responses: 201 bodies, and problem bodies (`title`, `detail`, `type`, `status`) for errors.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson

ME = "1500000000000000001"  # the brand account the token belongs to


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `hold` takes the request and never answers (until the server
    closes), as a request lost after it reached X; `delay` answers after that many seconds."""

    status: int = 201
    body: dict[str, Any] | None = None  # None: the endpoint's documented success body
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> Reply:
    body = {"title": title, "detail": detail, "type": "about:blank", "status": status}
    return Reply(status=status, body=body, headers=headers or {})


def rate_limited(reset_epoch: int) -> Reply:
    headers = {
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": "0",
        "x-rate-limit-reset": str(reset_epoch),
    }
    return problem(429, "Too Many Requests", "Too Many Requests", headers)


def unavailable(status: int = 503) -> Reply:
    titles = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
              504: "Gateway Timeout"}  # fmt: skip
    return problem(status, titles[status], titles[status])


DUPLICATE_CONTENT = problem(
    403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
)
UNAUTHORIZED = problem(401, "Unauthorized", "Unauthorized")


class FakeX:
    """`with FakeX() as x:` serves on 127.0.0.1 at `x.url` until the block ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._requests: list[Request] = []
        self._ids = itertools.count(1_800_000_000_000_000_001)
        self.release = threading.Event()  # ends every held or delayed request
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        # A short poll so that closing (once per test) does not wait half a second.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._script.extend(replies)

    def close(self) -> None:
        self.release.set()
        self._server.shutdown()
        self._server.server_close()  # joins the handler threads
        self._thread.join()

    def __enter__(self) -> FakeX:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def answer(self, request: Request) -> tuple[Reply, dict[str, Any]]:
        with self._lock:
            self._requests.append(request)
            reply = self._script.popleft() if self._script else Reply()
            new_id = str(next(self._ids))
        if reply.body is not None:
            return reply, reply.body
        return reply, self._success(request, new_id)

    @staticmethod
    def _success(request: Request, new_id: str) -> dict[str, Any]:
        if request.path == "/2/tweets":
            text = request.body.get("text", "") if isinstance(request.body, dict) else ""
            return {"data": {"id": new_id, "text": text, "edit_history_tweet_ids": [new_id]}}
        parts = request.path.split("/")
        if request.path.startswith("/2/dm_conversations/with/") and len(parts) == 6:
            conversation = "-".join(sorted((parts[4], ME)))
            return {"data": {"dm_conversation_id": conversation, "dm_event_id": new_id}}
        return {"title": "Not Found Error", "detail": f"no route {request.path}", "status": 404}


class _Server(ThreadingHTTPServer):
    # Non-daemon handler threads, so closing the server waits for them and no socket is left.
    daemon_threads = False
    block_on_close = True
    fake: FakeX

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hung up on a held request is what the test wanted


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 5  # an idle keep-alive connection does not keep the server from closing

    def do_POST(self) -> None:
        assert isinstance(self.server, _Server)
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = orjson.loads(raw) if raw else None
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply, payload = fake.answer(Request("POST", self.path, headers, body))
        if reply.hold:
            fake.release.wait(10)
            self.close_connection = True
            return
        if reply.delay:
            fake.release.wait(reply.delay)
        status = reply.status if reply.body is not None or "data" in payload else 404
        data = orjson.dumps(payload)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass
