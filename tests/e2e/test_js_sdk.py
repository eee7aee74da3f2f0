"""The official JS SDK (`@langchain/langgraph-sdk`, from npm at test time) against `serve`.

`js/agent_server_client.mjs` drives every route the Python SDK test drives, a fork that
resumes included, and prints what it saw; this test runs it with node and checks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from live_server import live_server, operator_key
from node_clients import installed, run_node_script
from sales_agent.services import Services

JS_SDK = {"@langchain/langgraph-sdk": "1.15.0"}
SCRIPT = Path(__file__).parent / "js" / "agent_server_client.mjs"


@pytest.fixture(scope="module")
def server_url(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {"SALES_AGENT_INTERRUPT_SHAPE": "hitl_request"}
    with live_server(services, tmp_path_factory.mktemp("serve"), env) as url:
        yield url


def test_the_js_sdk_drives_every_route(fresh: Services, server_url: str, tmp_path: Path) -> None:
    packages = installed("langgraph-sdk", JS_SDK)
    env = {"SALES_AGENT_URL": server_url, "SALES_AGENT_KEY": operator_key(fresh)}
    seen = json.loads(run_node_script(SCRIPT, packages, tmp_path, env).strip().splitlines()[-1])

    assert seen["assistant"] == "followup"
    assert seen["graphHasApproval"] is True
    assert (seen["schemasGraph"], seen["subgraphs"]) == ("followup", {})
    assert seen["updated"] == {"lead": "js", "extra": 1}
    assert seen["interruptShape"] == ["action_requests", "review_configs"]
    assert seen["interrupted"] == [True]
    assert seen["byValues"] == [True]
    assert seen["afterDelete"] == 1
    assert seen["checkpointsAgree"] is True
    assert seen["pageIsNext"] is True
    # The fork carried on at the writer: nothing before it ran again.
    assert seen["forkRan"][0] == "write_draft"
    assert not {"trigger", "resolve_identity", "read_thread"} & set(seen["forkRan"])
    assert "__interrupt__" in seen["forkRan"]
    assert {"metadata", "updates", "debug", "checkpoints", "end"} <= set(seen["forkEvents"])
    assert seen["checkpointChain"] is True
    assert seen["rejoinSameEvents"] is True
    assert (seen["joined"], seen["runStatus"]) == ("APPROVED", "success")
    assert seen["runsListed"] == 3  # the first run, the fork's, the approval
    assert seen["cancelled"] == "interrupted"
    assert (seen["item"], seen["searched"]) == ({"text": "hello"}, 1)
    assert ["js"] in seen["namespaces"]
    assert seen["afterItemDelete"] in (404, None)
    assert httpx.get(f"{server_url}/info").status_code == 200
