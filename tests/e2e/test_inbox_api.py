"""The operator inbox API on a live server: list, detail, decisions, rejection reasons.

Drafts are seeded by running the follow-up graph in-process on the module's database and
sandbox, which the server shares; its decisions resume those threads through the thread API.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from inbox_contract import DETAIL_KEYS, LIST_KEYS
from live_server import live_server, operator_key
from sales_agent.domain import Outcome, Trigger
from sales_agent.graph.context import FollowupContext
from sales_agent.jobs.followup_runs import FollowupGraph, RunResult, compile_followup, start
from sales_agent.sandbox import SEED_LEAD_EMAIL, SEED_LEAD_THREAD_ID
from sales_agent.services import Services

pytestmark = pytest.mark.slow

GMAIL = Trigger(source="gmail", gmail_thread_id=SEED_LEAD_THREAD_ID)


@pytest.fixture(scope="module")
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with (
        live_server(services, tmp_path_factory.mktemp("inbox-api")) as url,
        httpx.Client(
            base_url=url,
            timeout=120,
            headers={"Authorization": f"Bearer {operator_key(services)}"},
        ) as client,
    ):
        yield client


@pytest.fixture
def pending(graph: FollowupGraph, fresh: Services, context: FollowupContext) -> RunResult:
    """A draft for the seed lead, waiting for approval."""
    result = start(graph, GMAIL, context)
    assert result.interrupts and result.state.draft_record_id is not None
    return result


def draft_ids_in_gmail(services: Services) -> list[str]:
    thread = services.connectors.gmail.get_thread(SEED_LEAD_THREAD_ID)
    return [m.id for m in thread.messages if m.is_draft]


def row(services: Services, draft_id: str) -> dict[str, Any]:
    with services.pool.connection() as conn:
        found = conn.execute("SELECT * FROM drafts WHERE id = %s", (draft_id,)).fetchone()
    assert found is not None
    return dict(found)


def error(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


def test_the_list_shows_a_pending_draft_with_its_gate_and_plan(
    api: httpx.Client, pending: RunResult, services: Services
) -> None:
    page = api.get("/api/drafts", params={"status": "pending_approval"}).json()
    assert (page["page"], page["page_size"], page["total"]) == (1, 20, 1)
    [draft] = page["drafts"]
    assert set(draft) == LIST_KEYS
    state = pending.state
    assert state.draft is not None and state.gate is not None and state.plan is not None
    assert draft["id"] == state.draft_record_id
    assert draft["thread_id"] == pending.thread_id
    assert draft["contact_email"] == SEED_LEAD_EMAIL
    assert draft["subject"] == state.draft.subject
    assert draft["preview"] == " ".join(state.draft.body.split())[:160]
    assert draft["gate_status"] == state.gate.status.value
    assert draft["plan_action"] == state.plan.action.value
    assert draft["gmail_draft_id"] == state.gmail_draft_id
    assert draft["gmail_url"] == (
        f"{services.sandbox_url}/gmail/v1/users/me/drafts/{state.gmail_draft_id}"
    )

    # contact_id is the lead's email, matched whatever its case.
    by_lead = api.get("/api/drafts", params={"contact_id": SEED_LEAD_EMAIL.upper()}).json()
    assert [d["id"] for d in by_lead["drafts"]] == [draft["id"]]
    other = api.get("/api/drafts", params={"contact_id": "nobody@else.example"}).json()
    assert (other["drafts"], other["total"]) == ([], 0)
    by_thread = api.get("/api/drafts", params={"thread_id": pending.thread_id}).json()
    assert [d["id"] for d in by_thread["drafts"]] == [draft["id"]]
    assert api.get("/api/drafts", params={"status": "sent"}).json()["total"] == 0
    assert api.get("/api/drafts", params={"page": 2}).json()["drafts"] == []

    assert error(api.get("/api/drafts", params={"contact_id": "12345"})) == (
        422,
        "invalid_contact_id",
    )
    assert error(api.get("/api/drafts", params={"status": "maybe"})) == (422, "invalid_request")
    assert error(api.get("/api/drafts", params={"page": 0})) == (422, "invalid_request")
    assert error(api.get("/api/drafts", params={"page_size": 101})) == (422, "invalid_request")


def test_a_draft_comes_with_its_context_gate_and_audit_trail(
    api: httpx.Client, pending: RunResult
) -> None:
    state = pending.state
    assert state.thread is not None and state.gate is not None and state.plan is not None
    detail = api.get(f"/api/drafts/{state.draft_record_id}").json()
    assert set(detail) == DETAIL_KEYS
    assert re.search(r"[+-]\d\d:\d\d$", detail["created_at"])  # isoformat, as it always was
    assert detail["status"] == "pending_approval"
    assert detail["summary"] == state.thread.summary and detail["summary"]
    assert detail["intent"] == state.thread.intent
    assert detail["plan"]["action"] == state.plan.action.value
    assert [s["start"][:16] for s in detail["slots"]] == [
        s.start.isoformat()[:16] for s in state.slots
    ]
    assert len(detail["slots"]) == len(state.slots) > 0
    assert [a["file_id"] for a in detail["assets"]] == [a.file_id for a in state.assets]
    assert detail["gate"]["status"] == state.gate.status.value
    assert detail["gate"]["risk_score"] == state.gate.risk_score
    assert detail["writer"] == state.writer
    assert detail["body"] == state.draft.body  # type: ignore[union-attr]
    assert detail["gmail_draft_id"] == state.gmail_draft_id
    assert detail["gmail_thread_id"] == SEED_LEAD_THREAD_ID
    actions = [event["action"] for event in detail["audit"]]
    assert actions[0] == "trigger_received" and "draft_created" in actions
    assert detail["audit_total"] == len(detail["audit"])

    assert error(api.get(f"/api/drafts/{uuid.uuid4()}")) == (404, "draft_not_found")
    assert error(api.get("/api/drafts/not-a-uuid")) == (404, "draft_not_found")
    assert error(api.get(f"/api/drafts/{state.draft_record_id}/rejection")) == (
        409,
        "draft_not_rejected",
    )


def test_approve_keeps_the_gmail_draft_and_a_second_decision_is_refused(
    api: httpx.Client, pending: RunResult, services: Services
) -> None:
    draft_id = str(pending.state.draft_record_id)
    approved = api.post(f"/api/drafts/{draft_id}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert row(services, draft_id)["status"] == "approved"
    # DRAFT_ONLY: the draft stays in Gmail for the operator to send.
    assert draft_ids_in_gmail(services) != []
    assert services.connectors.gmail.get_draft(str(pending.state.gmail_draft_id)).id
    assert "outcome_approved" in [e["action"] for e in approved.json()["audit"]]

    for action in ("approve", "reject"):
        assert error(api.post(f"/api/drafts/{draft_id}/{action}")) == (409, "draft_not_pending")
    assert error(api.post(f"/api/drafts/{uuid.uuid4()}/approve")) == (404, "draft_not_found")


def test_an_edit_reaches_the_gmail_draft(
    api: httpx.Client, pending: RunResult, services: Services
) -> None:
    draft_id = str(pending.state.draft_record_id)
    for bad in ({}, {"body": "  "}, {"body": 3}, {"body": "x", "cc": "a@b.example"}):
        assert error(api.post(f"/api/drafts/{draft_id}/edit", json=bad)) == (
            422,
            "invalid_request",
        )
    assert row(services, draft_id)["status"] == "pending_approval", "a bad body changes nothing"

    body = "Hi Priya,\n\nThanks for the details on the Leeds returns.\n\nBest,\nSam"
    edited = api.post(f"/api/drafts/{draft_id}/edit", json={"subject": "Leeds pilot", "body": body})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["status"], edited.json()["subject"]) == ("edited", "Leeds pilot")
    placed = services.connectors.gmail.get_draft(str(pending.state.gmail_draft_id))
    assert placed.message.body_text.strip() == body
    assert placed.message.subject == "Leeds pilot"
    stored = row(services, draft_id)
    assert (stored["status"], stored["body"]) == ("edited", body)


def test_respond_rewrites_the_draft_and_it_waits_again(
    api: httpx.Client, pending: RunResult, services: Services
) -> None:
    draft_id = str(pending.state.draft_record_id)
    assert error(api.post(f"/api/drafts/{draft_id}/respond", json={"message": ""})) == (
        422,
        "invalid_request",
    )
    again = api.post(f"/api/drafts/{draft_id}/respond", json={"message": "Make it shorter"})
    assert again.status_code == 200, again.text
    detail = again.json()
    assert (detail["id"], detail["status"]) == (draft_id, "pending_approval")
    placed = services.connectors.gmail.get_draft(str(pending.state.gmail_draft_id))
    assert placed.message.body_text.strip() == detail["body"].strip()
    assert api.post(f"/api/drafts/{draft_id}/approve").json()["status"] == "approved"


def test_reject_deletes_the_gmail_draft_and_explains_itself(
    api: httpx.Client, pending: RunResult, services: Services
) -> None:
    draft_id = str(pending.state.draft_record_id)
    rejected = api.post(f"/api/drafts/{draft_id}/reject")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "ignored"
    assert draft_ids_in_gmail(services) == []
    why = api.get(f"/api/drafts/{draft_id}/rejection").json()
    assert why["rejected_by"] == "operator"
    assert why["reason"] == "operator ignored the draft"


def test_a_draft_the_gate_rejected_is_listed_with_its_reasons(
    api: httpx.Client, graph: FollowupGraph, fresh: Services, context: FollowupContext
) -> None:
    # The operator's own sign-off on the forbidden list: no revision can pass the gate.
    voice = fresh.voice.model_copy(
        update={"forbidden_words": (*fresh.voice.forbidden_words, fresh.voice.sign_off)}
    )
    done = start(compile_followup(dataclasses.replace(fresh, voice=voice)), GMAIL, context)
    assert done.state.outcome is Outcome.REJECTED
    assert done.state.draft is not None and done.state.gate is not None
    assert draft_ids_in_gmail(fresh) == [], "a rejected draft never reaches Gmail"

    [listed] = api.get("/api/drafts", params={"status": "rejected"}).json()["drafts"]
    assert listed["id"] == done.state.draft_record_id
    assert (listed["gate_status"], listed["gmail_draft_id"]) == ("FAIL", None)
    assert listed["subject"] == done.state.draft.subject
    assert row(fresh, listed["id"])["body"] == done.state.draft.body

    why = api.get(f"/api/drafts/{listed['id']}/rejection").json()
    assert why["rejected_by"] == "gate" and why["gate_status"] == "FAIL"
    assert why["reason"].startswith("rejected after 2 revision(s)")
    assert [v["message"] for v in why["violations"]] == [
        v.message for v in done.state.gate.violations
    ]
    assert why["violations"] and why["suggestions"] == list(done.state.gate.suggestions)
    assert error(api.post(f"/api/drafts/{listed['id']}/approve")) == (409, "draft_not_pending")
    detail = api.get(f"/api/drafts/{listed['id']}").json()
    assert detail["audit"][-1]["action"] == "outcome_rejected"
    assert detail["audit"][-1]["draft_id"] == listed["id"]


def test_the_page_is_served_with_a_strict_content_policy(api: httpx.Client) -> None:
    assert error(httpx.get(f"{api.base_url}/api/drafts")) == (401, "missing_credentials")
    # The page and its assets need no key: the page signs in with one itself.
    page = httpx.get(f"{api.base_url}/inbox", params={"thread": "gmail:x"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/inbox/inbox.js" defer></script>' in page.text
    script = httpx.get(f"{api.base_url}/inbox/inbox.js")
    assert script.headers["content-type"].startswith("text/javascript")
    assert ".innerHTML" not in script.text, "the page writes mail text as text only"
    assert api.get("/inbox/inbox.css").headers["content-type"].startswith("text/css")
