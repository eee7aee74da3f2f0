"""Bad input at the HTTP edge, against a live server: 413 for big bodies, 422 with details.

The body limit is the default (1 MiB). Chunked uploads (no `Content-Length`) are counted as
they are read, so a client cannot get past the limit by leaving the length out.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from live_server import live_server, operator_key
from sales_agent.config import Settings
from sales_agent.services import Services

pytestmark = pytest.mark.slow

LIMIT = Settings.model_fields["max_body_bytes"].default


@pytest.fixture(scope="module")
def url(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(services, tmp_path_factory.mktemp("limits")) as base:
        yield base


@pytest.fixture(scope="module")
def api(url: str, services: Services) -> Iterator[httpx.Client]:
    headers = {"x-api-key": operator_key(services)}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        yield client


def _chunks(size: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    while size > 0:
        yield b" " * min(chunk, size)
        size -= chunk


def _too_large(response: httpx.Response) -> None:
    assert response.status_code == 413, response.text
    body = response.json()
    assert body["code"] == "payload_too_large"
    assert "SALES_AGENT_MAX_BODY_BYTES" in body["message"]


def test_a_declared_oversized_body_is_413_before_auth(url: str) -> None:
    # No key at all: the size is refused first, without reading the body or looking up keys.
    _too_large(httpx.post(f"{url}/api/drafts/x/approve", content=b"{" + b" " * LIMIT + b"}"))


def test_a_chunked_oversized_body_is_413(api: httpx.Client) -> None:
    response = api.post(
        "/threads/search", content=_chunks(LIMIT + 1), headers={"content-type": "application/json"}
    )
    _too_large(response)


def test_a_body_at_the_limit_is_read(api: httpx.Client) -> None:
    padded = b'{"limit": 1}'.ljust(LIMIT, b" ")
    response = api.post(
        "/threads/search", content=padded, headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text


def test_a_chunked_body_under_the_limit_is_read(api: httpx.Client) -> None:
    def body() -> Iterator[bytes]:
        yield b'{"limit": 1}'
        yield from _chunks(LIMIT // 2)

    response = api.post(
        "/threads/search", content=body(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text


def test_invalid_json_is_422_with_where_and_why(api: httpx.Client) -> None:
    response = api.post(
        "/threads/search", content=b'{"limit": 1,', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    body = response.json()
    assert (body["code"], body["message"]) == (
        "invalid_request",
        "the request body is not valid JSON",
    )
    [detail] = body["details"]
    assert detail["loc"] == ["body", 12]
    assert detail["type"] == "json_invalid"
    assert detail["msg"].startswith("JSON decode error: Expecting")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"metadata": {"note": "caf\xe9"}}', "not UTF-8"),  # latin-1, not UTF-8
        (b'{"metadata": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested"),
        # Parsed, stored, and then unreadable by every later request: refused up front.
        (b'{"metadata": {"a": ' + b"[" * 300 + b"]" * 300 + b"}}", "more than 200 levels"),
    ],
)
def test_a_body_json_cannot_read_is_422_like_any_invalid_json(
    api: httpx.Client, body: bytes, reason: str
) -> None:
    for path in ("/threads", "/threads/search", "/api/session"):
        response = api.post(path, content=body, headers={"content-type": "application/json"})
        assert response.status_code == 422, response.text
        answer = response.json()
        assert (answer["code"], answer["message"]) == (
            "invalid_request",
            "the request body is not valid JSON",
        )
        [detail] = answer["details"]
        assert (detail["loc"], detail["type"]) == (["body"], "json_invalid")
        assert reason in detail["msg"]


def test_json_nested_within_the_limit_is_read(api: httpx.Client) -> None:
    nested = b'{"metadata": {"a": ' + b"[" * 150 + b"]" * 150 + b"}}"
    created = api.post("/threads", content=nested, headers={"content-type": "application/json"})
    assert created.status_code == 200, created.text
    assert api.get(f"/threads/{created.json()['thread_id']}").status_code == 200


def test_invalid_fields_are_422_with_every_problem(api: httpx.Client) -> None:
    response = api.post("/threads/search", json={"limit": 0, "offset": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert {tuple(d["loc"]) for d in body["details"]} == {("body", "limit"), ("body", "offset")}
    assert all(d["msg"] and d["type"] for d in body["details"])
    # The offending input is not echoed (it could be a mistyped secret).
    assert "many" not in response.text


def test_a_nul_character_is_422_not_a_server_error(api: httpx.Client) -> None:
    # Postgres text cannot hold NUL: the database refuses it, the caller is told which value.
    response = api.post("/threads", json={"metadata": {"note": "a\u0000b"}})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_value"


def test_unknown_routes_answer_the_json_error_shape(api: httpx.Client) -> None:
    missing = api.get("/api/nothing-here")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong_method = api.delete("/api/drafts")
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, "method_not_allowed")
