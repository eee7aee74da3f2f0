"""The Agent Server routes Studio, Agent Chat UI and the SDKs call, driven by langgraph-sdk.

One live `serve` with CORS for a browser origin and the `HITLRequest` interrupt shape; every
response body is also checked against the Agent Server's published OpenAPI schemas
(`openapi_check.py`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

from live_server import live_server, operator_key
from openapi_check import openapi_problems
from sales_agent.memory.operator_memory import OperatorMemory
from sales_agent.policy.api_keys import create_api_key
from sales_agent.services import Services

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}
CONTEXT = {"now": "2026-12-01T08:00:00+00:00"}
ORIGIN = "http://localhost:3000"


@pytest.fixture(scope="module")
def server_url(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {"SALES_AGENT_CORS_ORIGINS": ORIGIN, "SALES_AGENT_INTERRUPT_SHAPE": "hitl_request"}
    with live_server(services, tmp_path_factory.mktemp("serve"), env) as url:
        yield url


@pytest.fixture(scope="module")
def api_key(services: Services) -> str:
    return operator_key(services)


@pytest.fixture(scope="module")
def client(server_url: str, api_key: str) -> SyncLangGraphClient:
    return get_sync_client(url=server_url, api_key=api_key)


@pytest.fixture(scope="module")
def http(server_url: str, api_key: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, headers={"x-api-key": api_key}, timeout=60) as c:
        yield c


def _interrupted_thread(client: SyncLangGraphClient, **metadata: Any) -> str:
    thread = client.threads.create(metadata=metadata)
    client.runs.wait(thread["thread_id"], "followup", input=TRIGGER, context=CONTEXT)
    return str(thread["thread_id"])


def test_info_is_open_and_json_sent_as_text_plain_is_read(
    server_url: str, http: httpx.Client
) -> None:
    info = httpx.get(f"{server_url}/info").json()
    assert info["flags"]["assistants"] is True
    assert info["version"]
    response = http.post(
        "/assistants/search",
        content=b'{"graph_id": "followup", "limit": 5}',
        headers={"content-type": "text/plain;charset=UTF-8"},
    )
    assert response.status_code == 200, response.text
    assert [a["graph_id"] for a in response.json()] == ["followup"]


def test_cors_lets_the_configured_origin_read_the_run_location(
    server_url: str, http: httpx.Client
) -> None:
    preflight = httpx.options(
        f"{server_url}/threads/search",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "x-api-key,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    thread = http.post("/threads", json={}, headers={"origin": ORIGIN}).json()
    created = http.post(
        f"/threads/{thread['thread_id']}/runs",
        json={"assistant_id": "followup", "input": TRIGGER, "context": CONTEXT},
        headers={"origin": ORIGIN},
    )
    exposed = created.headers["access-control-expose-headers"].lower()
    assert {"content-location", "x-pagination-total"} <= set(exposed.replace(" ", "").split(","))
    run_id = created.json()["run_id"]
    assert created.headers["content-location"] == f"/threads/{thread['thread_id']}/runs/{run_id}"
    http.get(f"/threads/{thread['thread_id']}/runs/{run_id}/join")
    other = httpx.options(
        f"{server_url}/threads/search",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


def test_assistant_graph_schemas_and_subgraphs(client: SyncLangGraphClient) -> None:
    drawn = client.assistants.get_graph("followup", xray=True)
    assert "await_approval" in {node["id"] for node in drawn["nodes"]}
    assert client.assistants.get_schemas("followup")["graph_id"] == "followup"
    assert client.assistants.get_subgraphs("followup") == {}


def test_threads_patch_search_filters_count_and_delete(
    fresh: Services, client: SyncLangGraphClient, http: httpx.Client
) -> None:
    waiting = _interrupted_thread(client, lead="acme", team="east")
    idle = client.threads.create(metadata={"lead": "acme"})["thread_id"]

    patched = client.threads.update(idle, metadata={"team": "west"})
    assert patched["metadata"] == {"lead": "acme", "team": "west"}

    found = http.post("/threads/search", json={"metadata": {"lead": "acme"}, "limit": 1})
    assert found.headers["x-pagination-total"] == "2"
    assert len(found.json()) == 1
    [by_status] = client.threads.search(metadata={"lead": "acme"}, status="interrupted")
    assert by_status["thread_id"] == waiting
    # A run tags its thread with its graph, as Agent Chat UI's thread list expects.
    [by_graph] = client.threads.search(metadata={"lead": "acme", "graph_id": "followup"})
    assert by_graph["thread_id"] == waiting
    draft_id = client.threads.get_state(waiting)["values"]["gmail_draft_id"]
    [by_values] = client.threads.search(values={"gmail_draft_id": draft_id})
    assert by_values["thread_id"] == waiting
    assert client.threads.search(values={"gmail_draft_id": "nope"}) == []

    client.threads.delete(idle)
    assert http.get(f"/threads/{idle}").status_code == 404
    assert [t["thread_id"] for t in client.threads.search(metadata={"lead": "acme"})] == [waiting]


def test_state_at_a_checkpoint_and_history_pages(client: SyncLangGraphClient) -> None:
    thread_id = _interrupted_thread(client)
    history = client.threads.get_history(thread_id, limit=100)
    assert history[0]["next"] == ["await_approval"]
    page = client.threads.get_history(thread_id, limit=3, before=history[1]["checkpoint"])
    assert [h["checkpoint"] for h in page] == [h["checkpoint"] for h in history[2:5]]
    older = history[3]
    by_id = client.threads.get_state(thread_id, checkpoint_id=older["checkpoint"]["checkpoint_id"])
    by_body = client.threads.get_state(thread_id, checkpoint=older["checkpoint"])
    assert by_id["checkpoint"] == by_body["checkpoint"] == older["checkpoint"]
    assert by_id["values"] == older["values"]


def test_a_fork_from_a_checkpoint_resumes_rather_than_restarts(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    thread_id = _interrupted_thread(client)
    history = client.threads.get_history(thread_id, limit=100)
    [before_writer] = [h for h in history if h["next"] == ["write_draft"]][-1:]

    fork = client.threads.update_state(
        thread_id,
        None,
        as_node="__copy__",
        checkpoint_id=before_writer["checkpoint"]["checkpoint_id"],
    )
    assert fork["checkpoint"]["checkpoint_id"] != history[0]["checkpoint"]["checkpoint_id"]
    assert client.threads.get_state(thread_id)["next"] == ["write_draft"]

    parts = list(
        client.runs.stream(
            thread_id, "followup", input=None, stream_mode="updates", context=CONTEXT
        )
    )
    ran = [name for part in parts if part.event == "updates" for name in part.data]
    assert ran[0] == "write_draft"
    assert not {"trigger", "resolve_identity", "read_thread"} & set(ran)
    assert "__interrupt__" in ran
    state = client.threads.get_state(thread_id)
    assert state["next"] == ["await_approval"]
    [interrupt] = state["interrupts"]
    assert interrupt["value"]["action_requests"][0]["name"] == "approve_gmail_draft"

    # A replay: runs/wait from that same past checkpoint, no input, goes on from there too.
    before = len(client.threads.get_history(thread_id, limit=1000))
    replayed = client.runs.wait(
        thread_id,
        "followup",
        input=None,
        checkpoint_id=before_writer["checkpoint"]["checkpoint_id"],
        context=CONTEXT,
    )
    assert isinstance(replayed, dict)
    assert "__interrupt__" in replayed
    history = client.threads.get_history(thread_id, limit=1000)
    stepped = {name for state in history[: len(history) - before] for name in state["next"]}
    assert {"quality_gate", "await_approval"} <= stepped
    assert not {"trigger", "resolve_identity", "read_thread"} & stepped


def test_every_stream_mode_then_rejoin(fresh: Services, client: SyncLangGraphClient) -> None:
    thread = client.threads.create()
    modes = [
        "values",
        "updates",
        "messages",
        "messages-tuple",
        "custom",
        "events",
        "debug",
        "tasks",
        "checkpoints",
    ]
    parts = list(
        client.runs.stream(
            thread["thread_id"],
            "followup",
            input=TRIGGER,
            context=CONTEXT,
            stream_mode=modes,  # type: ignore[arg-type]
            stream_subgraphs=True,
        )
    )
    events = [part.event for part in parts]
    assert events[0] == "metadata" and events[-1] == "end"
    assert {"values", "updates", "events", "debug", "tasks", "checkpoints"} <= set(events)
    checkpoints = [p.data for p in parts if p.event == "checkpoints"]
    assert checkpoints[0]["parent_checkpoint"] is None
    for earlier, later in itertools.pairwise(checkpoints):
        assert later["parent_checkpoint"]["checkpoint_id"] == earlier["checkpoint"]["checkpoint_id"]
    debug = [p.data for p in parts if p.event == "debug" and p.data["type"] == "checkpoint"]
    assert [d["payload"]["checkpoint"] for d in debug] == [c["checkpoint"] for c in checkpoints]
    starts = [p.data for p in parts if p.event == "events" and p.data["event"] == "on_chain_start"]
    assert "write_draft" in {e["name"] for e in starts}

    run_id = parts[0].data["run_id"]
    again = list(client.runs.join_stream(thread["thread_id"], run_id))
    assert [p.event for p in again] == events
    tail = list(client.runs.join_stream(thread["thread_id"], run_id, last_event_id="2"))
    assert [p.event for p in tail] == events[3:]


def test_cancel_stops_a_streamed_run_at_a_step_boundary(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    for action in ("interrupt", "rollback"):
        thread = client.threads.create()
        stream = client.runs.stream(
            thread["thread_id"], "followup", input=TRIGGER, context=CONTEXT, stream_mode="updates"
        )
        first = next(iter(stream))
        assert first.event == "metadata"
        run_id = first.data["run_id"]
        client.runs.cancel(thread["thread_id"], run_id, wait=True, action=action)
        state = client.threads.get_state(thread["thread_id"])
        assert state["interrupts"] == []
        if action == "interrupt":
            assert client.runs.get(thread["thread_id"], run_id)["status"] == "interrupted"
            assert state["next"]  # stopped part-way, at a checkpoint it can go on from
        else:
            # The run and every checkpoint it wrote are deleted: a thread with no state.
            assert client.runs.list(thread["thread_id"]) == []
            assert state["values"] == {}
            assert client.threads.get_history(thread["thread_id"]) == []


def test_store_items_are_scoped_to_the_operator(
    services: Services, client: SyncLangGraphClient, server_url: str, graph: Any
) -> None:
    OperatorMemory(graph.store, services.settings.operator_email).remember_fact(
        "priya@northwind-logistics.example", "prefers mornings"
    )
    client.store.put_item(["notes"], key="n1", value={"text": "call back"})
    assert client.store.get_item(["notes"], key="n1")["value"] == {"text": "call back"}
    found = client.store.search_items(["contacts"])["items"]
    assert [item["value"]["fact"] for item in found] == ["prefers mornings"]
    namespaces = client.store.list_namespaces()["namespaces"]
    assert ["notes"] in namespaces
    assert all(ns[0] != "operators" for ns in namespaces)

    with services.pool.connection() as conn:
        other_key = create_api_key(
            conn, role="operator", name="sam@other.example", actor="tests"
        ).key
    other = get_sync_client(url=server_url, api_key=other_key)
    assert other.store.search_items([])["items"] == []
    assert other.store.list_namespaces()["namespaces"] == []
    with pytest.raises(httpx.HTTPStatusError) as missing:
        other.store.get_item(["notes"], key="n1")
    assert missing.value.response.status_code == 404

    client.store.delete_item(["notes"], key="n1")
    with pytest.raises(httpx.HTTPStatusError):
        client.store.get_item(["notes"], key="n1")


def test_approving_a_hitl_request_with_a_decision(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    thread_id = _interrupted_thread(client)
    [interrupt] = client.threads.get_state(thread_id)["interrupts"]
    assert interrupt["value"]["review_configs"][0]["allowed_decisions"] == [
        "approve",
        "edit",
        "reject",
    ]
    done = client.runs.wait(
        thread_id, "followup", command={"resume": {"decisions": [{"type": "approve"}]}}
    )
    assert isinstance(done, dict)
    assert done["outcome"] == "APPROVED"


def test_bodies_match_the_agent_server_openapi_document(
    fresh: Services, client: SyncLangGraphClient, http: httpx.Client
) -> None:
    thread_id = _interrupted_thread(client, lead="openapi")
    assistant_id = client.assistants.get("followup")["assistant_id"]
    checkpoint = client.threads.get_history(thread_id, limit=2)[1]["checkpoint"]
    client.store.put_item(["notes"], key="n2", value={"text": "x"})
    calls = [
        (http.get("/info"), "/info"),
        (http.post("/assistants/search", json={}), "/assistants/search"),
        (http.get(f"/assistants/{assistant_id}"), "/assistants/{assistant_id}"),
        (http.get(f"/assistants/{assistant_id}/graph?xray=1"), "/assistants/{assistant_id}/graph"),
        (http.get(f"/assistants/{assistant_id}/schemas"), "/assistants/{assistant_id}/schemas"),
        (http.get(f"/assistants/{assistant_id}/subgraphs"), "/assistants/{assistant_id}/subgraphs"),
        (http.post("/threads", json={"metadata": {"x": 1}}), "/threads"),
        (http.get(f"/threads/{thread_id}"), "/threads/{thread_id}"),
        (http.patch(f"/threads/{thread_id}", json={"metadata": {"y": 2}}), "/threads/{thread_id}"),
        (http.post("/threads/search", json={"metadata": {"lead": "openapi"}}), "/threads/search"),
        (http.get(f"/threads/{thread_id}/state"), "/threads/{thread_id}/state"),
        (
            http.get(f"/threads/{thread_id}/state/{checkpoint['checkpoint_id']}"),
            "/threads/{thread_id}/state/{checkpoint_id}",
        ),
        (
            http.post(f"/threads/{thread_id}/state/checkpoint", json={"checkpoint": checkpoint}),
            "/threads/{thread_id}/state/checkpoint",
        ),
        (
            http.post(f"/threads/{thread_id}/history", json={"limit": 3}),
            "/threads/{thread_id}/history",
        ),
        (http.get(f"/threads/{thread_id}/runs"), "/threads/{thread_id}/runs"),
        (http.post("/store/items/search", json={}), "/store/items/search"),
        (http.get("/store/items", params={"namespace": "notes", "key": "n2"}), "/store/items"),
    ]
    run = http.post(
        f"/threads/{thread_id}/runs",
        json={
            "assistant_id": "followup",
            "command": {"resume": {"decisions": [{"type": "approve"}]}},
        },
    )
    calls.append((run, "/threads/{thread_id}/runs"))
    run_id = run.json()["run_id"]
    http.get(f"/threads/{thread_id}/runs/{run_id}/join")
    calls.append(
        (http.get(f"/threads/{thread_id}/runs/{run_id}"), "/threads/{thread_id}/runs/{run_id}")
    )
    forked = http.post(
        f"/threads/{thread_id}/state",
        json={"values": None, "as_node": "__copy__", "checkpoint_id": checkpoint["checkpoint_id"]},
    )
    calls.append((forked, "/threads/{thread_id}/state"))
    assert [(path, r.status_code) for r, path in calls if r.status_code != 200] == []
    # The document types /store/namespaces as a bare array; the Agent Server answers (and
    # both SDKs read) `{"namespaces": [...]}`, so we follow the server.
    assert ["notes"] in http.post("/store/namespaces", json={}).json()["namespaces"]
    problems = [found for response, path in calls if (found := openapi_problems(response, path))]
    assert not problems, "\n".join(problems)
