"""The evaluators, one family per module; each a pure function of a trace returning a verdict.

`score_trace` runs them all (the LLM judge only when a model is given); replay feeds recorded
traces through the same functions, so a recorded run scores the same as a live one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from langchain_core.language_models import BaseChatModel

from sales_agent.evals.evaluators.expect import EXPECT_EVALUATORS, actual_action
from sales_agent.evals.evaluators.hard import HARD_EVALUATORS
from sales_agent.evals.evaluators.judge import judge_evaluators
from sales_agent.evals.evaluators.leak import LEAK_EVALUATORS
from sales_agent.evals.evaluators.readability import READABILITY_EVALUATORS
from sales_agent.evals.evaluators.slots import SLOT_EVALUATORS
from sales_agent.evals.evaluators.specificity import SPECIFICITY_EVALUATORS
from sales_agent.evals.evaluators.trajectory import TRAJECTORY_EVALUATORS
from sales_agent.evals.evaluators.voice import VOICE_EVALUATORS
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Evaluator, Verdict

__all__ = ["EVALUATORS", "actual_action", "evaluator_names", "score_trace"]

EVALUATORS: tuple[Evaluator, ...] = (
    *HARD_EVALUATORS,
    *EXPECT_EVALUATORS,
    *VOICE_EVALUATORS,
    *READABILITY_EVALUATORS,
    *SPECIFICITY_EVALUATORS,
    *SLOT_EVALUATORS,
    *LEAK_EVALUATORS,
    *TRAJECTORY_EVALUATORS,
)
"""Every deterministic evaluator, in report order."""


def score_trace(trace: Trace, judge: BaseChatModel | None = None) -> list[Verdict]:
    """Every evaluator's verdict on `trace` (plus the LLM judge's when `judge` is a model).

    A run that crashed is scored too: `hard.completed` fails, the checks of a draft do not
    apply, and the labels it could not meet fail.
    """
    return [evaluate(trace) for evaluate in (*EVALUATORS, *judge_evaluators(judge))]


def evaluator_names() -> list[str]:
    """The names of the deterministic evaluators, in report order."""
    empty = Trace(case="", now=datetime(2026, 1, 1, tzinfo=UTC))
    return [evaluate(empty).name for evaluate in EVALUATORS]
