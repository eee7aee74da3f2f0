"""LLM-as-judge for tone and helpfulness.

In the openevals style (a rubric, a boolean score and the reasoning). Runs only when a chat
model is configured; the prompt is `prompts/eval_judge.md`.
"""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field

from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Evaluator, Verdict, na, verdict
from sales_agent.prompts import load_prompt

__all__ = ["RUBRICS", "JudgeScore", "judge_evaluators"]

RUBRICS = {
    "tone": (
        "Tone fits the lead's message and a careful consultant's voice: warm, plain, "
        "confident; apologetic when the lead complains; never pushy, salesy or robotic; no "
        "hype words; reads like one person writing to another."
    ),
    "helpfulness": (
        "The draft answers what the lead actually asked or said, moves the conversation one "
        "clear step forward with a single ask, and says nothing untrue or irrelevant. A draft "
        "that ignores the lead's question or request fails."
    ),
}


class JudgeScore(BaseModel):
    """The judge's verdict on one criterion."""

    reasoning: str = Field(description="Two or three sentences on why.")
    score: bool = Field(description="True when the draft passes the criterion.")


def _judge(model: BaseChatModel, criterion: str) -> Evaluator:
    grader = model.with_structured_output(JudgeScore)
    name = f"judge.{criterion}"

    def evaluate(trace: Trace) -> Verdict:
        draft = trace.outputs.draft
        if draft is None:
            return na(name, "no draft was written")
        prompt = load_prompt("eval_judge").format(
            criterion=criterion,
            rubric=RUBRICS[criterion],
            lead_message=trace.context.lead_text or "(no message: the operator started this)",
            subject=draft.subject,
            body=draft.body,
        )
        result = grader.invoke(prompt)
        score = result if isinstance(result, JudgeScore) else JudgeScore.model_validate(result)
        return verdict(name, score.score, score.reasoning)

    evaluate.__doc__ = f"LLM judge: {criterion}."
    return evaluate


def judge_evaluators(model: BaseChatModel | None) -> tuple[Callable[[Trace], Verdict], ...]:
    """The judge's evaluators on `model`; none without a model."""
    if model is None:
        return ()
    return tuple(_judge(model, criterion) for criterion in RUBRICS)
