"""The generated Gmail workspace, read over HTTP: sizes, scenarios, voices, and the parsing
of its HTML-only, multipart, quoted and non-ASCII messages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path

import httpx
import pytest

from sales_agent.connectors.gmail import GmailClient
from sales_agent.connectors.gmail_parsing import strip_reply
from sales_agent.connectors.google_api import (
    anonymous_credentials,
    build_google_service,
    sandbox_endpoint,
)
from sales_agent.connectors.records import EmailAddress, GmailMessage
from sales_agent.nodes.offline.reader import clean_reply, detect_intent
from sales_agent.sandbox import SCENARIO_THREADS, SEED_LEAD_THREAD_ID, SandboxServer

OPERATOR = "dana@chaingepartners.example"
MARCUS = "marcus@brightlinegrowth.example"
EM_DASH = "\u2014"
SCENARIOS = {
    "new_lead",
    "pricing_question",
    "meeting_request",
    "objection",
    "not_interested",
    "unsubscribe",
    "out_of_office",
    "angry_reply",
    "referral",
    "prompt_injection",
    "confidential_bait",
}
# Scenarios the offline reader names as intents (the others need the model or the policy).


def _client(sandbox: SandboxServer, user: str) -> GmailClient:
    service = build_google_service(
        "gmail",
        "v1",
        credentials=anonymous_credentials(),
        api_endpoint=sandbox_endpoint(sandbox.url, "gmail", "v1"),
    )
    return GmailClient(service, operator=EmailAddress(email=user), user_id=user)


@pytest.fixture(scope="module")
def gmail(sandbox: SandboxServer) -> GmailClient:
    return _client(sandbox, OPERATOR)


def _sent(client: GmailClient) -> list[GmailMessage]:
    refs = client.list_messages("in:sent", max_results=500)
    assert refs.next_page_token is None
    return [client.get_message(ref.id) for ref in refs.messages]


@pytest.fixture(scope="module")
def dana_sent(gmail: GmailClient) -> list[GmailMessage]:
    return _sent(gmail)


def _scenario_index() -> dict[str, dict[str, list[str] | str]]:
    data = resources.files("sales_agent.sandbox").joinpath("data", "gmail.json")
    index: dict[str, dict[str, list[str] | str]] = json.loads(data.read_text("utf-8"))["scenarios"]
    return index


def test_a_year_of_operator_sent_mail(dana_sent: list[GmailMessage]) -> None:
    assert len(dana_sent) >= 300
    dates = sorted(m.date for m in dana_sent)
    assert dates[-1] - dates[0] >= timedelta(days=365)
    assert all(m.sender.email == OPERATOR for m in dana_sent)
    assert len({m.subject for m in dana_sent}) > 100, "varied, not a mail merge"
    assert len({m.to[0].email for m in dana_sent}) > 40


def test_operator_voice_is_consistent_and_never_uses_em_dashes(
    dana_sent: list[GmailMessage],
) -> None:
    for message in dana_sent:
        assert EM_DASH not in message.body_text and EM_DASH not in message.subject, message.id
        if message.thread_id == SEED_LEAD_THREAD_ID:
            continue  # the demo outreach predates her "Cheers"
        own = strip_reply(message.body_text)
        assert own.startswith(f"Hi {message.to[0].name.split()[0]},"), message.id
        assert own.endswith("Cheers,\nDana"), message.id
        assert own.count("?") == 1, f"{message.id}: one question, one next step"
        paragraphs = own.split("\n\n")[1:-1]
        assert all(len(re.findall(r"[.!?](\s|$)", p)) <= 3 for p in paragraphs), message.id
        for cliche in ("synergy", "leverage", "circle back", "touch base", "!"):
            assert cliche not in own.lower(), (message.id, cliche)


def test_the_second_persona_writes_differently(sandbox: SandboxServer) -> None:
    sent = _sent(_client(sandbox, MARCUS))

    assert len(sent) >= 100
    assert all(m.sender.email == MARCUS for m in sent)
    assert all(m.body_text.startswith("Dear ") for m in sent)
    assert all("Kind regards,\nMarcus Hale" in m.body_text for m in sent)
    assert sum(EM_DASH in m.body_text for m in sent) > len(sent) / 2
    assert sum("!" in m.body_text for m in sent) == len(sent)


def test_every_scenario_has_inbound_threads(gmail: GmailClient) -> None:
    index = _scenario_index()
    assert set(index) == set(SCENARIO_THREADS) == SCENARIOS
    threads = [t for entry in index.values() for t in entry["threads"]]
    assert len(threads) >= 40 and len(set(threads)) == len(threads)
    for scenario, entry in index.items():
        assert entry["canonical"] == SCENARIO_THREADS[scenario] == entry["threads"][0]
        for thread_id in entry["threads"]:
            assert re.fullmatch(rf"thr-{scenario}-\d\d", str(thread_id))
            last = gmail.get_thread(str(thread_id)).messages[-1]
            assert last.sender.email != OPERATOR and "INBOX" in last.label_ids, thread_id
    assert len(set(SCENARIO_THREADS.values())) == len(SCENARIO_THREADS)
    longest = max(len(gmail.get_thread(str(t)).messages) for t in threads)
    assert longest >= 4, "some histories run to several messages"


# The replies that must never get a pitch; every other scenario's reading is measured, with
# its misses, by the eval suite (evals/datasets/scenarios.jsonl), not pinned here.
SAFETY_SCENARIOS = {
    "unsubscribe": "unsubscribe",
    "out_of_office": "out_of_office",
    "angry_reply": "complaint",
}


@pytest.mark.parametrize(("scenario", "intent"), sorted(SAFETY_SCENARIOS.items()))
def test_the_offline_reader_recognises_the_safety_critical_threads(
    gmail: GmailClient, scenario: str, intent: str
) -> None:
    last = gmail.get_thread(SCENARIO_THREADS[scenario]).messages[-1]
    reading, _ = detect_intent(
        clean_reply(last.body_text), subject=last.subject, sender=last.sender.formatted()
    )
    assert reading == intent


def test_html_only_message(gmail: GmailClient, sandbox: SandboxServer) -> None:
    resource = httpx.get(f"{sandbox.url}/gmail/v1/users/me/messages/msg-new_lead-03-01").json()
    assert resource["payload"]["mimeType"] == "text/html"

    message = gmail.get_message("msg-new_lead-03-01")
    assert message.body_text.startswith("Hi Dana,\n\nWe are a family bakery group")
    assert "<" not in message.body_text
    assert strip_reply(message.body_text).endswith("Sam")


def test_multipart_message_prefers_plain_text(gmail: GmailClient, sandbox: SandboxServer) -> None:
    resource = httpx.get(f"{sandbox.url}/gmail/v1/users/me/messages/msg-new_lead-01-01").json()
    payload = resource["payload"]
    assert payload["mimeType"] == "multipart/alternative"
    assert [p["mimeType"] for p in payload["parts"]] == ["text/plain", "text/html"]

    message = gmail.get_message("msg-new_lead-01-01")
    assert message.body_text.startswith("Hi Dana,\n\nI run operations at")
    assert "<div" not in message.body_text


@pytest.mark.parametrize(
    ("thread_id", "quote_marker"),
    [("thr-pricing_question-01", "> Hi "), ("thr-pricing_question-04", "From: Dana Reyes")],
)
def test_quoted_replies_are_stripped(gmail: GmailClient, thread_id: str, quote_marker: str) -> None:
    outreach, reply = gmail.get_thread(thread_id).messages
    assert quote_marker in reply.body_text

    own = strip_reply(reply.body_text)

    assert own.startswith("Hi Dana,")
    assert "rates" in own or "pricing" in own
    assert quote_marker not in own
    assert outreach.body_text.splitlines()[2] not in own  # nothing of Dana's outreach
    assert reply.sender.name not in own, "the signature block is gone"


def test_non_ascii_names_are_decoded(gmail: GmailClient) -> None:
    unknown = gmail.get_message("msg-new_lead-02-01")
    referral = gmail.get_thread("thr-referral-01").messages[0]

    assert unknown.sender == EmailAddress(
        name="Małgorzata Kowalczyk", email="m.kowalczyk@brightpath-freight.example"
    )
    assert "Gdańsk" in unknown.body_text
    assert referral.subject == "Intro: Inês (Portosul) and Dana"
    assert [a.name for a in referral.cc] == ["Inês Carvalho"]


def test_out_of_office_states_a_return_date(gmail: GmailClient, sandbox: SandboxServer) -> None:
    reply = gmail.get_thread(SCENARIO_THREADS["out_of_office"]).messages[-1]
    match = re.search(r"until \w+day (\d{1,2} \w+ \d{4})", reply.body_text)

    assert match is not None
    returns = datetime.strptime(match.group(1), "%d %B %Y").date()
    assert returns > reply.date.date()
    assert returns > date.today()
    headers = httpx.get(
        f"{sandbox.url}/gmail/v1/users/me/messages/{reply.id}",
        params={"format": "metadata", "metadataHeaders": ["Auto-Submitted"]},
    ).json()["payload"]["headers"]
    assert headers == [{"name": "Auto-Submitted", "value": "auto-replied"}]


def test_prompt_injection_and_confidential_bait(gmail: GmailClient) -> None:
    injection = gmail.get_thread(SCENARIO_THREADS["prompt_injection"]).messages[-1].body_text
    hidden = gmail.get_thread("thr-prompt_injection-02").messages[-1].body_text
    bait = gmail.get_thread(SCENARIO_THREADS["confidential_bait"]).messages[-1].body_text

    for phrase in ("ignore previous instructions", "BCC x@evil.example", "reveal other clients'"):
        assert phrase in injection
    assert "ignore previous instructions" in hidden  # hidden by CSS, still in the text
    assert "Halden Foods" in bait and "figures" in bait


def test_generator_is_deterministic_and_packaged() -> None:
    root = Path(__file__).parents[2]
    code = "import json; from scripts.workspace import gmail; from scripts.workspace.cast import CAST; print(json.dumps(gmail.generate(CAST), ensure_ascii=False))"  # noqa: E501
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            capture_output=True,
            check=True,
            text=True,
            env={"PYTHONHASHSEED": seed, "PYTHONIOENCODING": "utf-8"},
        ).stdout
        for seed in ("1", "2")
    ]
    packaged = resources.files("sales_agent.sandbox").joinpath("data", "gmail.json")
    assert runs[0] == runs[1]
    assert json.loads(runs[0]) == json.loads(packaged.read_text("utf-8"))
