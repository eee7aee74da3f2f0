"""The main job: a lead through the whole product, against the sandbox workspace.

Starts the embedded database (unless DATABASE_URL is set) and an in-process sandbox, indexes
the allowlisted Drive folders when that index is empty, runs the seeded lead (or a named
scenario) to the approval interrupt, accepts it, and reports what landed where, with the
run's trace written where the eval runner can re-score it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sales_agent.config import Settings
from sales_agent.domain import Trigger
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.errors import SalesAgentError
from sales_agent.evals.scenario import Scenario, run_scenario
from sales_agent.graph.state import FollowupInput, FollowupState
from sales_agent.jobs.followup_runs import compile_followup, forget_followup_thread
from sales_agent.memory.drive_index import index_drive, indexed_file_count
from sales_agent.policy.mode import current_mode
from sales_agent.policy.suppression import is_suppressed
from sales_agent.sandbox import SCENARIO_THREADS, SEED_LEAD_THREAD_ID
from sales_agent.services import Services, open_services

__all__ = ["SCENARIOS", "run_demo"]

SCENARIOS = tuple(SCENARIO_THREADS)
"""The named sandbox scenarios `demo --scenario` runs (each a canonical Gmail thread)."""


def _gmail_thread(scenario: str | None) -> str:
    if scenario is None:
        return SEED_LEAD_THREAD_ID
    if scenario not in SCENARIO_THREADS:
        raise SalesAgentError(
            f"no scenario named {scenario!r}; choose one of: {', '.join(SCENARIOS)}"
        )
    return SCENARIO_THREADS[scenario]


def _draft_report(services: Services, state: FollowupState) -> dict[str, Any]:
    """The draft and where Gmail threaded it (empty when the run wrote no draft)."""
    if state.draft is None or state.gmail_draft_id is None:
        return {"draft": None, "gmail_draft_id": None, "gmail": None}
    placed = services.connectors.gmail.get_draft(state.gmail_draft_id)
    return {
        "draft": {"to": list(state.draft.to), "subject": state.draft.subject,
                  "body": state.draft.body},
        "gmail_draft_id": state.gmail_draft_id,
        "gmail": {
            "thread_id": placed.message.thread_id,
            "in_reply_to": placed.message.in_reply_to,
            "references": placed.message.references,
            "subject": placed.message.subject,
        },
    }  # fmt: skip


def _tasks(services: Services, state: FollowupState) -> list[dict[str, Any]]:
    if state.crm_task_id is None:
        return []
    task = services.connectors.hubspot.get_task(state.crm_task_id)
    return [task.model_dump(mode="json", include={"id", "subject", "due", "status"})]


def run_demo(settings: Settings, scenario: str | None = None) -> dict[str, Any]:
    """Run the seeded lead (or `scenario`) end to end and return what `demo --json` prints."""
    trigger = Trigger(source="gmail", gmail_thread_id=_gmail_thread(scenario))
    name = scenario or "seed_lead"
    with open_services(settings) as services:
        if indexed_file_count(services) == 0:
            index_drive(services)  # assets for the draft; later runs reuse the index
        graph = compile_followup(services)
        # The in-process sandbox starts from its seed every time, so the demo thread starts
        # afresh too (its old ledger would point at drafts this sandbox never had).
        forget_followup_thread(services, thread_id_for(trigger))
        trace, done = run_scenario(
            graph, Scenario(name=name, input=FollowupInput(trigger=trigger)), services
        )
        trace_path = _write_trace(settings.data_dir, name, trace)
        state = done.state
        assert state.identity is not None
        with services.pool.connection() as conn:
            mode = current_mode(conn)
            suppressed = is_suppressed(conn, state.identity.email) is not None
        return {
            "scenario": name,
            "thread_id": done.thread_id,
            "contact_email": state.identity.email,
            "company": state.identity.company_name,
            "plan": state.plan.model_dump(mode="json") if state.plan else None,
            **_draft_report(services, state),
            "writer": state.writer,
            "slots": [slot.start.isoformat() for slot in state.slots],
            "slot_details": [slot.model_dump(mode="json") for slot in state.slots],
            "assets": [asset.model_dump(mode="json") for asset in state.assets],
            "gate": state.gate.model_dump(mode="json") if state.gate else None,
            "crm_note_id": state.crm_note_id,
            "tasks": _tasks(services, state),
            "suppressed": suppressed,
            "approval": trace["outputs"]["interrupt"],
            "outcome": state.outcome.value if state.outcome else None,
            "outcome_reason": state.outcome_reason,
            "mode": mode.value,
            "timezone": settings.timezone,
            "trace_path": str(trace_path),
        }


def _write_trace(data_dir: Path, name: str, trace: dict[str, Any]) -> Path:
    """One JSON-lines trace per demo run (`sales-agent eval replay` re-scores it)."""
    folder = data_dir / "traces"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"demo-{name}.jsonl"
    path.write_text(json.dumps(trace, default=str) + "\n", encoding="utf-8")
    return path
