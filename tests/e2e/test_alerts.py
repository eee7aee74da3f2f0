"""deploy/prometheus/alerts.yml: the alerts the issue asks for, over metrics `/metrics` serves.

Each rule's metric names must appear in a live server's scrape (so no alert watches a metric
that does not exist), and the ops gauges must move: the kill switch shows when engaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from live_server import live_server
from sales_agent.policy.api_keys import create_api_key
from sales_agent.policy.mode import set_kill_switch
from sales_agent.services import Services

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ALERTS = {
    "SalesAgentHighErrorRate",
    "SalesAgentSlowRequests",
    "SalesAgentFailedRuns",
    "SalesAgentDatabasePoolExhausted",
    "SalesAgentKillSwitchEngaged",
    "SalesAgentWorkerHeartbeatsMissing",
}


def rules() -> list[dict[str, object]]:
    loaded = yaml.safe_load((ROOT / "deploy/prometheus/alerts.yml").read_text())
    return [rule for group in loaded["groups"] for rule in group["rules"]]


@pytest.fixture(scope="module")
def scrape(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with services.pool.connection() as conn:
        key = create_api_key(conn, role="operator", name="prometheus", actor="tests").key
    with (
        live_server(services, tmp_path_factory.mktemp("alerts")) as url,
        httpx.Client(base_url=url, headers={"authorization": f"Bearer {key}"}) as client,
    ):
        client.get("/health")  # one request, so the HTTP series exist
        yield client


def test_every_alert_the_issue_names_is_there_with_a_runbook_entry() -> None:
    runbook = (ROOT / "docs/RUNBOOK.md").read_text().lower()
    assert {str(rule["alert"]) for rule in rules()} >= ALERTS
    for rule in rules():
        annotations = rule["annotations"]
        assert isinstance(annotations, dict)
        anchor = str(annotations["runbook"]).split("#")[1]
        assert f"## {anchor.replace('-', ' ')}" in runbook, anchor


def test_every_metric_an_alert_reads_is_served(scrape: httpx.Client) -> None:
    served = scrape.get("/metrics").text
    for rule in rules():
        for metric in set(re.findall(r"sales_agent_\w+", str(rule["expr"]))):
            assert re.search(rf"^{metric}[{{ ]", served, flags=re.M), (rule["alert"], metric)


def test_the_kill_switch_gauge_follows_the_switch(scrape: httpx.Client, services: Services) -> None:
    def engaged() -> str:
        [line] = [
            line
            for line in scrape.get("/metrics").text.splitlines()
            if line.startswith("sales_agent_kill_switch_engaged ")
        ]
        return line.split()[1]

    assert engaged() == "0.0"
    with services.pool.connection() as conn:
        set_kill_switch(conn, engaged=True, actor="tests", reason="alert test")
    try:
        assert engaged() == "1.0"
    finally:
        with services.pool.connection() as conn:
            set_kill_switch(conn, engaged=False, actor="tests", reason="alert test over")
