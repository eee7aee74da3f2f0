"""Hard-constraint evaluators over a recorded trace's outputs (no graph, no services).

Each evaluator returns a `Score`; a run passes when every hard score passes. Replay feeds
recorded traces through the same functions, so a recorded run scores the same as a live one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from sales_agent.domain import Draft
from sales_agent.policy.quality import EM_DASH, MAX_WORDS, count_ctas, word_count

__all__ = ["EVALUATORS", "Score", "score_trace"]


class Score(BaseModel):
    """One evaluator's verdict on one run."""

    name: str
    passed: bool
    detail: str


def _draft(trace: dict[str, Any]) -> Draft | None:
    raw = trace["outputs"].get("draft")
    return Draft.model_validate(raw) if raw else None


def reaches_approval(trace: dict[str, Any]) -> Score:
    """The run paused at the approval interrupt with a Gmail draft placed."""
    outputs = trace["outputs"]
    ok = bool(outputs.get("interrupt")) and bool(outputs.get("gmail_draft_id"))
    return Score(name="reaches_approval", passed=ok, detail=f"path={trace['node_path']}")


def under_word_limit(trace: dict[str, Any]) -> Score:
    """The body is under the hard word limit."""
    draft = _draft(trace)
    words = word_count(draft.body) if draft else 0
    return Score(
        name="under_200_words", passed=bool(draft) and words < MAX_WORDS, detail=f"{words} words"
    )


def one_cta(trace: dict[str, Any]) -> Score:
    """Exactly one call to action."""
    draft = _draft(trace)
    ctas = count_ctas(draft.body) if draft else 0
    return Score(name="one_cta", passed=ctas == 1, detail=f"{ctas} CTAs")


def no_em_dash(trace: dict[str, Any]) -> Score:
    """No em-dash in subject or body."""
    draft = _draft(trace)
    ok = bool(draft) and draft is not None and EM_DASH not in draft.subject + draft.body
    return Score(name="no_em_dash", passed=ok, detail="" if ok else "em-dash found")


def valid_slots(trace: dict[str, Any]) -> Score:
    """Two or three ISO 8601 slots, in the future of the run's clock, not overlapping."""
    slots = trace["outputs"].get("slots", [])
    try:
        starts = sorted(datetime.fromisoformat(s["start"]) for s in slots)
        ends = sorted(datetime.fromisoformat(s["end"]) for s in slots)
        now = datetime.fromisoformat(trace["now"])
    except (KeyError, TypeError, ValueError) as exc:
        return Score(name="valid_slots", passed=False, detail=f"unreadable slots: {exc}")
    disjoint = all(ends[i] <= starts[i + 1] for i in range(len(starts) - 1))
    future = all(start > now for start in starts)
    ok = 2 <= len(starts) <= 3 and disjoint and future
    return Score(name="valid_slots", passed=ok, detail=f"{len(starts)} slots")


def expected_recipient(trace: dict[str, Any]) -> Score:
    """The draft goes to the scenario's expected contact, and only to them."""
    draft = _draft(trace)
    expected = trace["expect"].get("contact_email")
    ok = bool(draft) and draft is not None and list(draft.to) == [expected]
    return Score(name="expected_recipient", passed=ok, detail=f"to={draft.to if draft else None}")


def expected_outcome(trace: dict[str, Any]) -> Score:
    """The run ended with the outcome the scenario expects after its resume."""
    expected = trace["expect"].get("outcome")
    actual = trace["outputs"].get("outcome")
    return Score(name="expected_outcome", passed=actual == expected, detail=f"{actual}")


EVALUATORS: tuple[Callable[[dict[str, Any]], Score], ...] = (
    reaches_approval,
    under_word_limit,
    one_cta,
    no_em_dash,
    valid_slots,
    expected_recipient,
    expected_outcome,
)


def score_trace(trace: dict[str, Any]) -> list[Score]:
    """Every hard-constraint evaluator on one trace."""
    return [evaluate(trace) for evaluate in EVALUATORS]
