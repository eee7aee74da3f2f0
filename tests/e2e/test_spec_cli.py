"""The spec's commands as an operator runs them against the sandbox: `hubspot lookup`,
`gmail sync-thread` and `trigger form` (no credentials, the sandbox in-process)."""

from __future__ import annotations

import json
import re
from typing import Any

import psycopg
import pytest
from psycopg.rows import dict_row

from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID

pytestmark = pytest.mark.slow

AMELIA = "amelia.haddad@brightwaterhealth.example"  # a contact with an open deal


def test_hubspot_lookup_shows_contact_company_deal_stage_and_owner(cli: Any) -> None:
    found = cli("hubspot", "lookup", "--email", AMELIA)
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines() == [
        f"contact 1007: Amelia Haddad <{AMELIA}>, VP Operations (opportunity, OPEN_DEAL)",
        "company 2003: Brightwater Health (brightwaterhealth.example, Healthcare, "
        "420 employees, Series C, opportunity)",
        "deal 4002: Brightwater Health operations review, stage contractsent, amount 23,000",
        "owner 303: Amara Okafor <amara@chaingepartners.example>",
    ]

    company = cli("hubspot", "lookup", "--domain", "brightwaterhealth.example", "--json")
    assert company.returncode == 0, company.stderr
    record = json.loads(company.stdout)
    assert record["contact"] is None and record["company"]["id"] == "2003"
    assert [(d["id"], d["stage"]) for d in record["deals"]] == [("4002", "contractsent")]
    assert record["owner"]["id"] == "303"

    unknown = cli("hubspot", "lookup", "--email", "nobody@unknown.example")
    assert unknown.returncode == 1
    assert (
        "contact: not in HubSpot" in unknown.stdout and "company: not in HubSpot" in unknown.stdout
    )
    neither = cli("hubspot", "lookup")
    assert neither.returncode == 2 and "--email or by --domain" in neither.stderr


def test_gmail_sync_thread_indexes_one_thread_and_reports_its_embeddings(cli: Any) -> None:
    first = cli("gmail", "sync-thread", SEED_LEAD_THREAD_ID)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"thread {SEED_LEAD_THREAD_ID}: 2 messages",
        "embeddings: 2 of 2 in the index (2 embedded now, 0 already indexed, 0 not indexable) "
        "with hash (feature-hash-v1, 256 dims)",
    ]
    again = cli("gmail", "sync-thread", SEED_LEAD_THREAD_ID)
    assert "(0 embedded now, 2 already indexed, 0 not indexable)" in again.stdout

    found = cli("search", "memory", "dispatch", "--contact", SEED_LEAD_EMAIL, "--json")
    assert found.returncode == 0, found.stderr
    assert {hit["thread_id"] for hit in json.loads(found.stdout)} == {SEED_LEAD_THREAD_ID}

    missing = cli("gmail", "sync-thread", "thr-does-not-exist")
    assert missing.returncode == 2
    assert "no Gmail thread 'thr-does-not-exist'" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_trigger_form_runs_a_follow_up_now_and_twice_makes_one_draft(
    cli: Any, database_url: str
) -> None:
    message = "Orders wait in staging before dispatch; how would you approach it?"
    first = cli("trigger", "form", "--email", SEED_LEAD_EMAIL, "--message", message)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    header = re.fullmatch(
        r"run ([0-9a-f-]{36}) on thread (form:cli-[0-9a-f]{16}): interrupted", lines[0]
    )
    assert header is not None, lines[0]
    run_id, thread_id = header.groups()
    assert re.fullmatch(r"plan: [A-Z_]+ \(\w+\): .+", lines[1]), lines[1]
    assert lines[2].startswith("draft: ") and "Hi Priya," in first.stdout
    [note] = [line for line in lines if line.startswith("HubSpot note ")]
    assert re.fullmatch(r"HubSpot note \d+: http://127\.0\.0\.1:\d+/crm/v3/objects/notes/\d+", note)
    assert lines[-1] == "outcome: awaiting approval"

    again = cli("trigger", "form", "--email", SEED_LEAD_EMAIL, "--message", message)
    assert again.returncode == 0, again.stderr
    assert f"on thread {thread_id}: interrupted" in again.stdout

    with psycopg.connect(database_url, row_factory=dict_row) as conn:
        runs = conn.execute(
            "SELECT run_id, status, metadata FROM runs WHERE thread_id = %s ORDER BY created_at",
            (thread_id,),
        ).fetchall()
        drafts = conn.execute(
            "SELECT count(*) AS n FROM drafts WHERE thread_id = %s", (thread_id,)
        ).fetchone()
    assert len(runs) == 2 and (str(runs[0]["run_id"]), runs[0]["status"]) == (run_id, "interrupted")
    assert all(r["metadata"]["source"] == "cli" for r in runs)
    assert drafts is not None and drafts["n"] == 1, "the same form twice is one draft"

    bad = cli("trigger", "form", "--email", "not-an-address")
    assert bad.returncode == 2 and "not an email address" in bad.stderr
