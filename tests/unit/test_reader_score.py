"""The reader's measure: labelled replies read as a run reads them, scored, cross-validated."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sales_agent.cli.app import app
from sales_agent.evals.reader_score import cross_validated, score_reader
from sales_agent.nodes.offline.intent_model import build_training_file, training_examples
from sales_agent.nodes.offline.labelled import labelled_replies


def _line(name: str, split: str, body: str, intent: str, **inbound: object) -> str:
    message = {"from": "A <a@x.example>", "subject": "Re: Dock times", "body": body, "html": False}
    return json.dumps(
        {
            "name": name,
            "split": split,
            "inbound": {**message, **inbound},
            "expect": {"intent": intent},
        }
    )


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    lines = [
        _line("u1", "dev", "Please remove me from your mailing list.", "unsubscribe"),
        _line(
            "m1", "dev", "<p>Thursday afternoon works for a call.</p>", "meeting_request", html=True
        ),
        _line("m2", "dev", "Happy to talk, could we do a call on Tuesday?", "meeting_request"),
        _line("p1", "dev", "What do you charge for a two-week diagnostic?", "pricing_question"),
        _line("p2", "dev", "How is the work priced, day rate or fixed fee?", "pricing_question"),
        _line("t1", "test", "Remove me from this list, thanks.", "unsubscribe"),
        json.dumps({"name": "trigger", "split": "dev", "input": {"trigger": {}}, "expect": {}}),
    ]
    path = tmp_path / "replies.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_replies_are_read_as_a_run_reads_them(dataset: Path) -> None:
    replies = labelled_replies([dataset])
    assert [r.name for r in replies] == ["u1", "m1", "m2", "p1", "p2", "t1"]
    assert replies[1].text == "Thursday afternoon works for a call."  # HTML made text
    assert [r.name for r in labelled_replies([dataset], split="test")] == ["t1"]


def test_the_training_file_holds_dev_lines_only_with_one_reply_marker(
    dataset: Path, tmp_path: Path
) -> None:
    output = tmp_path / "training.jsonl"
    assert build_training_file([dataset], output) == 5
    examples = training_examples(output)
    texts = [text for text, _ in examples]
    # A reply is one marker word, whatever the mail client wrote; its subject (ours) is left out.
    assert "inreplytous\nPlease remove me from your mailing list." in texts
    assert not any("Re:" in text or "Dock times" in text for text in texts)
    assert not any("Remove me from this list" in text for text in texts)


def test_scores_count_recall_precision_and_confusions(dataset: Path) -> None:
    result = score_reader(labelled_replies([dataset], split="test"))
    assert (result.lines, result.accuracy) == (1, 1.0)
    (only,) = result.intents
    assert (only.intent, only.support, only.recall, only.precision) == ("unsubscribe", 1, 1.0, 1.0)


def test_cross_validation_reads_each_line_once(dataset: Path) -> None:
    result = cross_validated(labelled_replies([dataset], split="dev"), folds=2)
    assert result.lines == 5
    by_intent = {row.intent: row for row in result.intents}
    assert by_intent["unsubscribe"].recall == 1.0  # the rules, whatever the fold
    assert sum(n for *_, n in result.confusions) == round(5 * (1 - result.accuracy))


def test_the_score_command_refuses_an_unknown_split(dataset: Path) -> None:
    outcome = CliRunner().invoke(
        app, ["reader", "score", "--dataset", str(dataset), "--split", "x"]
    )
    assert outcome.exit_code == 2 and "dev or test" in outcome.output
