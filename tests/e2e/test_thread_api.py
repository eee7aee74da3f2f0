"""`sales-agent serve` on a free port, driven by langgraph-sdk exactly as an integrator would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from langgraph_sdk import get_sync_client
from langgraph_sdk.client import SyncLangGraphClient

from live_server import live_server, operator_key
from sales_agent.services import Services

TRIGGER = {"trigger": {"source": "gmail", "gmail_thread_id": "thr-northwind-001"}}


@pytest.fixture(scope="module")
def server_url(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`serve` (with its in-process worker) on the module's database and sandbox."""
    with live_server(services, tmp_path_factory.mktemp("serve")) as url:
        yield url


@pytest.fixture(scope="module")
def api_key(services: Services) -> str:
    return operator_key(services)


@pytest.fixture(scope="module")
def client(server_url: str, api_key: str) -> SyncLangGraphClient:
    return get_sync_client(url=server_url, api_key=api_key)


@pytest.fixture(scope="module")
def http(server_url: str, api_key: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url, headers={"x-api-key": api_key}) as client:
        yield client


def test_health_and_ready(server_url: str) -> None:
    # /ready needs the database and a worker heartbeat: `serve` runs its own worker.
    assert httpx.get(f"{server_url}/health").json() == {"status": "ok"}
    assert httpx.get(f"{server_url}/ready").json() == {"status": "ready"}


def test_sdk_runs_a_follow_up_to_its_interrupt_and_resumes_it(
    fresh: Services,
    client: SyncLangGraphClient,
) -> None:
    [assistant] = client.assistants.search(graph_id="followup")
    assert assistant["graph_id"] == "followup"
    assert client.assistants.get(assistant["assistant_id"])["name"] == "followup"

    thread = client.threads.create(metadata={"purpose": "sdk-test"})
    waiting = client.runs.wait(
        thread["thread_id"],
        assistant["assistant_id"],
        input=TRIGGER,
        context={"now": "2026-12-01T08:00:00+00:00"},
    )
    assert isinstance(waiting, dict)
    [interrupt] = waiting["__interrupt__"]
    [request] = interrupt["value"]
    assert request["action_request"]["action"] == "approve_gmail_draft"
    assert request["action_request"]["args"]["to"] == ["priya@northwind-logistics.example"]

    state = client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["await_approval"]
    # The context's clock reached the nodes: the first slot is the next business morning.
    assert state["values"]["slots"][0]["start"].startswith("2026-12-02")
    assert state["interrupts"][0]["value"] == interrupt["value"]
    assert state["values"]["gmail_draft_id"] == request["action_request"]["args"]["gmail_draft_id"]
    assert client.threads.get(thread["thread_id"])["status"] == "interrupted"

    done = client.runs.wait(
        thread["thread_id"],
        "followup",
        command={"resume": [{"type": "accept", "args": None}]},
    )
    assert isinstance(done, dict)
    assert done["outcome"] == "APPROVED"
    assert "__interrupt__" not in done
    finished = client.threads.get(thread["thread_id"])
    assert finished["status"] == "idle"
    # As on the Agent Server, a run tags its thread with its graph and assistant.
    assert finished["metadata"] == {
        "purpose": "sdk-test",
        "graph_id": "followup",
        "assistant_id": assistant["assistant_id"],
    }


def test_bad_requests_get_clear_json_errors(
    http: httpx.Client, client: SyncLangGraphClient
) -> None:
    thread = client.threads.create()
    runs = f"/threads/{thread['thread_id']}/runs/wait"

    bad_trigger = {"assistant_id": "followup", "input": {"trigger": {"source": "gmail"}}}
    response = http.post(runs, json=bad_trigger)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "gmail_thread_id" in response.json()["message"]

    bad_resume = {"assistant_id": "followup", "command": {"resume": {"type": "send_now"}}}
    response = http.post(runs, json=bad_resume)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_resume")
    # The background route validates the same way, before anything is queued.
    response = http.post(runs.removesuffix("/wait"), json=bad_resume)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_resume")
    assert client.runs.list(thread["thread_id"]) == []

    bad_context = {"assistant_id": "followup", "input": TRIGGER, "context": {"now": "soon"}}
    response = http.post(runs, json=bad_context)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_context")

    response = http.post(runs, content=b"{not json", headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_request")

    response = http.post("/threads/nope/runs/wait", json={"assistant_id": "x"})
    assert (response.status_code, response.json()["code"]) == (404, "assistant_not_found")

    response = http.get("/threads/does-not-exist")
    assert (response.status_code, response.json()["code"]) == (404, "thread_not_found")
    response = http.post(runs.removesuffix("/wait"), json={"assistant_id": "followup"})
    assert (response.status_code, response.json()["code"]) == (422, "invalid_run")
    assert "no step left to run" in response.json()["message"]
    response = http.post(
        "/threads/does-not-exist/runs", json={"assistant_id": "followup", "input": TRIGGER}
    )
    assert (response.status_code, response.json()["code"]) == (404, "thread_not_found")
    response = http.get(f"/threads/{thread['thread_id']}/runs/{thread['thread_id']}")
    assert (response.status_code, response.json()["code"]) == (404, "run_not_found")

    response = http.post("/threads", json={"thread_id": thread["thread_id"]})
    assert (response.status_code, response.json()["code"]) == (409, "thread_exists")


def test_assistant_graph_and_schemas(client: SyncLangGraphClient) -> None:
    drawn = client.assistants.get_graph("followup")
    nodes = {node["id"] for node in drawn["nodes"]}
    assert {"__start__", "await_approval"} <= nodes
    assert {"source", "target"} <= set(drawn["edges"][0])

    schemas = client.assistants.get_schemas("followup")
    assert schemas["graph_id"] == "followup"
    assert "trigger" in schemas["input_schema"]["properties"]
    assert "now" in schemas["context_schema"]["properties"]


def test_background_run_joined_listed_then_resumed(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    thread = client.threads.create(metadata={"lead": "northwind"})
    run = client.runs.create(thread["thread_id"], "followup", input=TRIGGER, metadata={"by": "sdk"})
    assert run["status"] in ("pending", "running")
    assert run["metadata"] == {"by": "sdk"}

    values = client.runs.join(thread["thread_id"], run["run_id"])
    assert isinstance(values, dict)
    [interrupt] = values["__interrupt__"]
    done = client.runs.get(thread["thread_id"], run["run_id"])
    assert (done["status"], done["error"], done["attempts"]) == ("interrupted", None, 1)

    [found] = client.threads.search(metadata={"lead": "northwind"}, status="interrupted")
    assert found["thread_id"] == thread["thread_id"]
    assert client.threads.search(metadata={"lead": "northwind"}, status="idle") == []

    resume = client.runs.create(
        thread["thread_id"], "followup", command={"resume": [{"type": "accept", "args": None}]}
    )
    final = client.runs.join(thread["thread_id"], resume["run_id"])
    assert isinstance(final, dict)
    assert final["outcome"] == "APPROVED"
    listed = client.runs.list(thread["thread_id"])
    assert [r["run_id"] for r in listed] == [resume["run_id"], run["run_id"]]
    assert [r["status"] for r in listed] == ["success", "interrupted"]
    assert interrupt["value"][0]["action_request"]["action"] == "approve_gmail_draft"


def test_a_failed_background_run_shows_its_error(client: SyncLangGraphClient) -> None:
    thread = client.threads.create()
    # A resume on a thread that never waited for a decision cannot succeed.
    run = client.runs.create(
        thread["thread_id"], "followup", command={"resume": [{"type": "accept", "args": None}]}
    )
    values = client.runs.join(thread["thread_id"], run["run_id"])
    assert isinstance(values, dict)
    assert "not waiting for a decision" in values["__error__"]["message"]
    failed = client.runs.get(thread["thread_id"], run["run_id"])
    assert failed["status"] == "error"
    assert "not waiting for a decision" in failed["error"]


def test_stream_sends_metadata_updates_and_values(
    fresh: Services, client: SyncLangGraphClient
) -> None:
    thread = client.threads.create()
    parts = list(
        client.runs.stream(
            thread["thread_id"],
            "followup",
            input=TRIGGER,
            stream_mode=["updates", "values"],
            context={"now": "2026-12-01T08:00:00+00:00"},
        )
    )
    assert parts[0].event == "metadata"
    run_id = parts[0].data["run_id"]
    events = {part.event for part in parts}
    assert events == {"metadata", "updates", "values", "end"}
    assert parts[-1].event == "end"
    updates = [part.data for part in parts if part.event == "updates"]
    assert any("await_approval" in u or "__interrupt__" in u for u in updates)
    [interrupt] = next(u["__interrupt__"] for u in updates if "__interrupt__" in u)
    assert interrupt["value"][0]["action_request"]["action"] == "approve_gmail_draft"
    last_values = [part.data for part in parts if part.event == "values"][-1]
    assert (
        last_values["gmail_draft_id"]
        == interrupt["value"][0]["action_request"]["args"]["gmail_draft_id"]
    )
    assert client.runs.get(thread["thread_id"], run_id)["status"] == "interrupted"


def test_state_history_and_update(client: SyncLangGraphClient) -> None:
    thread = client.threads.create()
    client.runs.wait(thread["thread_id"], "followup", input=TRIGGER)
    history = client.threads.get_history(thread["thread_id"], limit=50)
    assert len(history) > 3
    assert history[0]["next"] == ["await_approval"]
    assert history[-1]["values"] == {} or "trigger" not in history[-1]["values"]
    older = client.threads.get_history(
        thread["thread_id"], limit=2, before=history[0]["checkpoint"]
    )
    assert [h["checkpoint"] for h in older] == [h["checkpoint"] for h in history[1:3]]
    at = client.threads.get_state(
        thread["thread_id"], checkpoint_id=history[1]["checkpoint"]["checkpoint_id"]
    )
    assert at["checkpoint"] == history[1]["checkpoint"]

    updated = client.threads.update_state(
        thread["thread_id"], {"topic": "pricing for 40 trucks"}, as_node="await_approval"
    )
    assert updated["checkpoint"]["checkpoint_id"] != history[0]["checkpoint"]["checkpoint_id"]
    state = client.threads.get_state(thread["thread_id"])
    assert state["values"]["topic"] == "pricing for 40 trucks"
