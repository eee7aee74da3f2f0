"""Busy workers SIGKILLed again and again: no lead is lost, nothing is written twice.

Two `sales-agent worker --concurrency 2` processes work through 24 form leads while every
sandbox call is slowed down; every few seconds one of them is killed and a new one started.
Every lead must end at the approval interrupt or with a recorded error, with exactly one
Gmail draft, one HubSpot note and one task per lead that reached the approval.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from sales_agent.bench.leads import form_leads
from sales_agent.bench.processes import sales_agent_processes
from sales_agent.connectors.gmail_reply import key_token
from sales_agent.domain.thread_ids import thread_id_for
from sales_agent.jobs.enqueue import enqueue_followup
from sales_agent.nodes._effects import effect_key, reference_line
from sales_agent.services import Services

pytestmark = pytest.mark.slow

LEADS = 24
KILLS = 6
WORKER = ["worker", "--concurrency", "2", "--heartbeat", "1", "--stalled-after", "3"]


def _records(services: Services, kind: str, body: str) -> Iterator[str]:
    """Every HubSpot `kind` (notes, tasks) body in the sandbox, page after page."""
    url = f"{services.sandbox_url}/crm/v3/objects/{kind}"
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 100, "properties": body}
        if after:
            params["after"] = after
        page = httpx.get(url, params=params, timeout=30).json()
        yield from (str(r["properties"].get(body) or "") for r in page["results"])
        after = page.get("paging", {}).get("next", {}).get("after")
        if not after:
            return


def _gmail_draft_keys(services: Services) -> Counter[str]:
    base = f"{services.sandbox_url}/gmail/v1/users/me"
    listed = httpx.get(f"{base}/drafts", params={"maxResults": 500}, timeout=30).json()
    keys: Counter[str] = Counter()
    for draft in listed.get("drafts", []):
        message = httpx.get(
            f"{base}/messages/{draft['message']['id']}",
            params={"format": "metadata", "metadataHeaders": "X-Sales-Agent-Key"},
            timeout=30,
        ).json()
        for header in message["payload"]["headers"]:
            if header["name"].lower() == "x-sales-agent-key":
                keys[header["value"].strip()] += 1
    return keys


def _runs(services: Services, run_ids: list[str]) -> list[dict[str, Any]]:
    with services.pool.connection() as conn:
        rows = conn.execute(
            "SELECT run_id::text AS run_id, thread_id, status, error FROM runs "
            "WHERE run_id::text = ANY(%s)",
            [run_ids],
        ).fetchall()
    return [dict(row) for row in rows]


def test_killed_workers_lose_no_lead_and_double_nothing(fresh: Services, tmp_path: Path) -> None:
    assert fresh.sandbox_url is not None
    # Slow enough that the leads outlast the kills: workers that start fast and read with
    # packed weights (no fit on the first reply) finished 24 leads at 120 ms before six kills.
    slow = {"route": "^/(gmail|crm|calendar|drive)", "latency_ms": 400}
    httpx.post(f"{fresh.sandbox_url}/_sandbox/faults", json=slow).raise_for_status()
    leads = list(form_leads(fresh, LEADS, "kill", "Dispatch delays at our cross-dock"))
    rng = random.Random(19)
    started = 0
    with ExitStack() as stack:

        def new_worker() -> Any:
            nonlocal started
            started += 1
            folder = tmp_path / f"worker-{started}"
            folder.mkdir()
            return stack.enter_context(sales_agent_processes(fresh, folder, [WORKER]))[0][0]

        workers = [new_worker(), new_worker()]
        run_ids = [enqueue_followup(fresh, lead) for lead in leads]
        kills = 0
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline:
            pending = [r for r in _runs(fresh, run_ids) if r["status"] in ("pending", "running")]
            if not pending:
                break
            if kills < KILLS:
                time.sleep(rng.uniform(1.0, 2.0))
                victim = workers.pop(rng.randrange(len(workers)))
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait(timeout=10)
                kills += 1
                workers.append(new_worker())
            else:
                time.sleep(0.5)
        runs = _runs(fresh, run_ids)
    httpx.delete(f"{fresh.sandbox_url}/_sandbox/faults").raise_for_status()

    assert kills == KILLS
    statuses = Counter(r["status"] for r in runs)
    assert set(statuses) <= {"interrupted", "error"}, statuses
    assert all(r["error"] for r in runs if r["status"] == "error")
    waiting = {r["thread_id"] for r in runs if r["status"] == "interrupted"}
    assert len(waiting) >= LEADS - 2, f"most leads reach approval under kills: {statuses}"

    draft_keys = _gmail_draft_keys(fresh)
    notes = list(_records(fresh, "notes", "hs_note_body"))
    tasks = list(_records(fresh, "tasks", "hs_task_body"))
    for lead in leads:
        thread_id = thread_id_for(lead)
        note = reference_line(effect_key(thread_id, "crm_note", 1))
        task = reference_line(effect_key(thread_id, "crm_task", 1))
        drafts = draft_keys[key_token(effect_key(thread_id, "gmail_draft", 1))]
        expected = 1 if thread_id in waiting else None
        for what, count in (
            ("draft", drafts),
            ("note", sum(note in body for body in notes)),
            ("task", sum(task in body for body in tasks)),
        ):
            assert count <= 1, f"{thread_id}: {count} {what}s"
            if expected is not None:
                assert count == expected, f"{thread_id} waits for approval with {count} {what}s"
