"""A local stand-in for the LangSmith API: records every request, answers just enough.

Serves on 127.0.0.1 (a free port) in a thread; `requests` holds (method, path, query, body)
for assertions. Datasets, examples, sessions (experiments), runs and feedback are stored so
that reads after writes see them, as the SDK expects.
"""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TENANT = "00000000-0000-4000-8000-000000000001"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


@dataclass
class Store:
    requests: list[Recorded] = field(default_factory=list)
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)
    examples: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    feedback: list[dict[str, Any]] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat()


class _Handler(BaseHTTPRequestHandler):
    store: Store
    lock: threading.Lock

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if self.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        if not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode("utf-8", "replace")

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path.rstrip("/"), parse_qs(parts.query)
        body = self._body() if method in ("POST", "PATCH", "PUT", "DELETE") else None
        with self.lock:
            self.store.requests.append(Recorded(method, path, query, body))
            status, payload = self._route(method, path, query, body)
        self._send(status, payload)

    def _route(
        self, method: str, path: str, query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any]:
        store = self.store
        if path == "/info":
            return 200, {"version": "recorder", "instance_flags": {}}
        if path == "/datasets" and method == "POST":
            dataset = {
                "id": str(uuid.uuid4()),
                "tenant_id": TENANT,
                "created_at": _now(),
                "modified_at": _now(),
                "data_type": "kv",
                "example_count": 0,
                **body,
            }
            store.datasets[dataset["id"]] = dataset
            return 200, dataset
        if path == "/datasets" and method == "GET":
            names = query.get("name", [])
            found = [d for d in store.datasets.values() if not names or d["name"] in names]
            return 200, found
        if path.startswith("/datasets/") and method == "GET":
            dataset = store.datasets.get(path.split("/")[2])
            return (200, dataset) if dataset else (404, {"detail": "not found"})
        if path == "/examples/bulk" and method == "POST":
            created = []
            for item in body:
                example = {"id": item.get("id") or str(uuid.uuid4()), "created_at": _now(), **item}
                store.examples[str(example["id"])] = example
                created.append(example)
            return 200, created
        if path == "/examples" and method == "GET":
            wanted = set(query.get("dataset", []))
            found = [
                e for e in store.examples.values() if not wanted or e.get("dataset_id") in wanted
            ]
            offset = int(query.get("offset", ["0"])[0])
            limit = int(query.get("limit", ["100"])[0])
            return 200, found[offset : offset + limit]
        if path == "/sessions" and method == "POST":
            session = {
                "id": body.get("id") or str(uuid.uuid4()),
                "tenant_id": TENANT,
                "start_time": _now(),
                **body,
            }
            store.sessions[session["id"]] = session
            return 200, session
        if path == "/sessions" and method == "GET":
            names = query.get("name", [])
            return 200, [s for s in store.sessions.values() if not names or s["name"] in names]
        if path == "/runs" and method == "POST":
            store.runs[str(body["id"])] = body
            return 200, {}
        if path == "/runs/batch" and method == "POST":
            for run in body.get("post", []):
                store.runs[str(run["id"])] = run
            for run in body.get("patch", []):
                store.runs.setdefault(str(run["id"]), {}).update(run)
            return 200, {}
        if path.startswith("/runs/") and method == "PATCH":
            store.runs.setdefault(path.split("/")[2], {}).update(body)
            return 200, {}
        if path == "/feedback" and method == "POST":
            feedback = {"created_at": _now(), "modified_at": _now(), **body}
            store.feedback.append(feedback)
            return 200, feedback
        return 404, {"detail": f"the recorder does not serve {method} {path}"}

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


class LangSmithRecorder:
    """`with LangSmithRecorder() as recorder:` serves on `recorder.url` until the block ends."""

    def __init__(self) -> None:
        self.store = Store()
        handler = type("Handler", (_Handler,), {"store": self.store, "lock": threading.Lock()})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> LangSmithRecorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
