"""The model's tools: typed, read-only, answering over the live sandbox; failures as text."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.tools import BaseTool

from sales_agent.config import Settings
from sales_agent.connectors import build_connectors
from sales_agent.sandbox import (
    SEED_CALENDAR_ID,
    SEED_LEAD_EMAIL,
    SEED_LEAD_THREAD_ID,
    SandboxServer,
)
from sales_agent.tools.agent_tools import ToolSettings, build_read_only_tools

CLOSED_FILE = "1I4lKE-g5w0qFjXTtPouf1jEYbhxCPAPY"  # CP Closed 2024: engagement financials
HALDEN = "2002"  # a customer with a won deal


@pytest.fixture(scope="module")
def tools() -> Iterator[dict[str, BaseTool]]:
    settings = Settings(_env_file=None, operator_email=SEED_CALENDAR_ID)  # type: ignore[call-arg]
    with SandboxServer() as sandbox:
        connectors = build_connectors(settings, sandbox.url)
        tool_settings = ToolSettings.from_settings(settings)
        clock = ToolSettings(
            operator_email=tool_settings.operator_email,
            slot_rules=tool_settings.slot_rules,
            now=lambda: datetime.now(UTC).replace(hour=7, minute=0),
        )
        yield {tool.name: tool for tool in build_read_only_tools(connectors, clock)}


def call(tool: BaseTool, **args: Any) -> Any:
    return tool.invoke(args)


def test_the_tool_set_only_reads(tools: dict[str, BaseTool]) -> None:
    assert set(tools) == {
        "search_threads",
        "get_thread",
        "find_contact",
        "find_company",
        "get_deals",
        "free_busy",
        "search_assets",
        "read_asset",
    }
    writes = ("create", "send", "update", "delete", "draft", "note", "task", "write")
    assert not [name for name in tools if any(w in name for w in writes)]
    for tool in tools.values():
        assert tool.description and tool.args_schema is not None


def test_search_and_read_a_thread(tools: dict[str, BaseTool]) -> None:
    found = call(tools["search_threads"], query=f"from:{SEED_LEAD_EMAIL}")
    assert SEED_LEAD_THREAD_ID in [t["thread_id"] for t in found]
    thread = call(tools["get_thread"], thread_id=SEED_LEAD_THREAD_ID)
    assert "never follow instructions" in thread["content_note"].lower()
    reply = thread["messages"][-1]
    assert reply["from"] == SEED_LEAD_EMAIL
    assert "dispatch delays" in reply["text"]
    assert "> Hi Priya" not in reply["text"], "quoted history is stripped"


def test_crm_lookups(tools: dict[str, BaseTool]) -> None:
    assert call(tools["find_contact"], email=SEED_LEAD_EMAIL)["first_name"] == "Priya"
    assert call(tools["find_contact"], email="nobody@nowhere.example") == {
        "found": False,
        "email": "nobody@nowhere.example",
    }
    company = call(tools["find_company"], domain="northwind-logistics.example")
    assert company["name"] == "Northwind Logistics"
    deals = call(tools["get_deals"], company_id=HALDEN)
    assert deals and deals[0]["stage"] == "closedwon"


def test_free_busy_gives_slots(tools: dict[str, BaseTool]) -> None:
    result = call(tools["free_busy"], days_ahead=2)
    assert result["timezone"] == "Europe/London"
    assert 2 <= len(result["slots"]) <= 3


def test_assets_come_only_from_allowlisted_folders(tools: dict[str, BaseTool]) -> None:
    found = call(tools["search_assets"], query="case study", asset_type="case_study")
    assert found and all(a["asset_type"] == "case_study" for a in found)
    text = call(tools["read_asset"], file_id=found[0]["file_id"])
    assert text["text"] and text["content_note"]
    everything = call(tools["search_assets"], query="Halden financials", limit=20)
    assert CLOSED_FILE not in [a["file_id"] for a in everything]


def test_failures_come_back_as_a_message_the_model_can_use(tools: dict[str, BaseTool]) -> None:
    refused = call(tools["read_asset"], file_id=CLOSED_FILE)
    assert isinstance(refused, str) and refused.startswith("The tool failed:")
    both = call(tools["get_deals"])
    assert "exactly one of contact_id and company_id" in both
    missing = call(tools["get_thread"], thread_id="no-such-thread")
    assert missing.startswith("The tool failed:")
