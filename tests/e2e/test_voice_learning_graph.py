"""The voice_learning graph end to end: sandbox mail and Drive in, a stored version out.

It runs on the Postgres checkpointer with the project's serializer allowlist, so a state
type missing from `CHECKPOINT_TYPES` would come back from a checkpoint as a bare dict.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from sales_agent.connectors import DriveAccessError
from sales_agent.domain.voice import VoiceProfile
from sales_agent.graph.voice_learning import GRAPH_ID, build_voice_learning
from sales_agent.graph.voice_state import VoiceLearningContext
from sales_agent.jobs.followup_runs import checkpointer
from sales_agent.memory.voice.corpus import Corpus
from sales_agent.memory.voice.validate import ValidationReport
from sales_agent.services import Services, provided

# Sandbox Drive (sandbox/data/drive.json): a case study in the allowlisted "CHAINge
# Proposals" folder, and a note in "Team Social", which no allowed prefix admits.
CASE_STUDY = "1IHPLjxQ3kBScMCX9E64eGS4SHo4xXQ4B"
NOT_ALLOWED = "1ASGWLUFSARpp0j4BnYc-U9TyxhKCRAWC"
LEAKY_LINE = "Call Priya on +44 20 7946 0321."

Graph = CompiledStateGraph[Any, VoiceLearningContext, Any, Any]


@pytest.fixture(scope="module")
def graph(services: Services) -> Graph:
    return build_voice_learning(provided(services)).compile(
        checkpointer=checkpointer(services), name=GRAPH_ID
    )


def _config() -> RunnableConfig:
    return {"configurable": {"thread_id": f"voice:{uuid.uuid4().hex}"}}


def _versions(services: Services) -> list[dict[str, Any]]:
    with services.pool.connection() as conn:
        query = "SELECT version, created_by FROM voice_profiles ORDER BY version"
        return conn.execute(query).fetchall()


CONTEXT = VoiceLearningContext(actor="test")


def test_a_run_stores_a_validated_version_and_exports_it(
    graph: Graph, services: Services, tmp_path: Path
) -> None:
    before = _versions(services)
    output = tmp_path / "profile.json"
    config = _config()

    result = graph.invoke({"limit": 60, "output": str(output)}, config, context=CONTEXT)

    validation = ValidationReport.model_validate(result["validation"])
    assert validation.ok and validation.pii == [] and validation.schema_errors == []
    assert validation.metrics["train_emails"] + validation.metrics["held_out_emails"] == 60
    assert validation.metrics["coverage"] > 0.5
    assert validation.pattern_confidence["high"] > 0

    stored = VoiceProfile.model_validate(result["stored"])
    assert _versions(services) == [*before, {"version": stored.version, "created_by": "test"}]
    assert stored.version == len(before) + 1
    exported, ours = json.loads(result["profile_json"]), stored.model_dump(mode="json")
    assert {key: exported[key] for key in ours} == ours  # our fields, as stored
    assert {"name", "phrasing_patterns", "do_dont_rules", "learned_at"} <= exported.keys()
    assert output.read_text(encoding="utf-8") == result["profile_json"]

    snapshot = graph.get_state(config)
    assert snapshot.next == ()
    corpus = snapshot.values["corpus"]
    assert isinstance(corpus, Corpus), "the checkpoint did not revive the corpus"
    assert isinstance(snapshot.values["profile"], VoiceProfile)
    assert len(snapshot.values["message_ids"]) == 60 and len(corpus.emails) == 60
    # The checkpoint holds cleaned text only: the operator's name is a token, quotes are gone.
    texts = [email.text for email in corpus.emails]
    assert not any("Dana Reyes" in text or "\n>" in text for text in texts)
    assert any("[OPERATOR_FIRST]" in text for text in texts)


def test_drive_doc_paragraphs_train_redacted(graph: Graph, services: Services) -> None:
    config = _config()
    result = graph.invoke({"limit": 40, "drive_doc_ids": [CASE_STUDY]}, config, context=CONTEXT)

    corpus = graph.get_state(config).values["corpus"]
    assert [d.id for d in corpus.documents] == [f"drive:{CASE_STUDY}:{n}" for n in range(1, 5)]
    document_text = "\n".join(d.text for d in corpus.documents)
    assert "Eight weeks with the operations team" in document_text
    # "Halden Foods" is a CRM company: redacted in a document as in a mail.
    assert "Halden" not in document_text and "[COMPANY]" in document_text

    stored = VoiceProfile.model_validate(result["stored"])
    assert stored.learned is not None and stored.metrics is not None
    # Document paragraphs train, but are never held out.
    assert stored.learned.emails == stored.metrics.train_emails + 4
    assert stored.metrics.train_emails + stored.metrics.held_out_emails == 40


def test_a_doc_outside_the_allowlist_fails_before_anything_is_stored(
    graph: Graph, services: Services
) -> None:
    before = _versions(services)
    with pytest.raises(DriveAccessError, match="not in an allowlisted folder"):
        graph.invoke({"limit": 5, "drive_doc_ids": [NOT_ALLOWED]}, _config(), context=CONTEXT)
    assert _versions(services) == before


def test_a_profile_with_pii_is_reported_and_not_stored(services: Services) -> None:
    # Stop after learn, slip a phone number into the candidate, and let validate judge it.
    graph = build_voice_learning(provided(services)).compile(
        checkpointer=checkpointer(services), interrupt_after=["learn"]
    )
    config = _config()
    graph.invoke({"limit": 20}, config, context=CONTEXT)
    candidate = graph.get_state(config).values["candidate"]
    leaky = candidate.model_copy(update={"value_lines": (LEAKY_LINE,)})
    graph.update_state(config, {"candidate": leaky}, as_node="learn")
    before = _versions(services)

    result = graph.invoke(None, config, context=CONTEXT)

    validation = ValidationReport.model_validate(result["validation"])
    assert not validation.ok
    # Priya is a CRM contact, so her name is flagged along with the number.
    expected = [("value_lines[0]", ["[NAME]", "[PHONE]"])]
    assert [(f.path, f.kinds) for f in validation.pii] == expected
    assert result.get("stored") is None and result.get("profile_json") is None
    assert _versions(services) == before


def test_the_output_must_be_a_json_file(graph: Graph) -> None:
    with pytest.raises(ValueError, match=r"\.json"):
        graph.invoke({"output": "notes.txt"}, _config(), context=CONTEXT)
