"""The LLM judge: only with a model, its rubric prompt from prompts/, a verdict per criterion."""

from __future__ import annotations

from evals.conftest import good_trace, with_outputs
from sales_agent.evals.evaluators import score_trace
from sales_agent.evals.evaluators.judge import judge_evaluators
from scripted_model import ScriptedChatModel, tool_calls


def test_no_model_no_judge() -> None:
    assert judge_evaluators(None) == ()
    assert not [v for v in score_trace(good_trace()) if v.name.startswith("judge.")]


def test_the_judge_scores_tone_and_helpfulness_from_its_prompt() -> None:
    model = ScriptedChatModel(
        script=[
            tool_calls(("JudgeScore", {"reasoning": "Warm and plain.", "score": True})),
            tool_calls(("JudgeScore", {"reasoning": "Ignores the question.", "score": False})),
        ]
    )
    found = {v.name: v for v in score_trace(good_trace(), model) if v.name.startswith("judge.")}
    assert found["judge.tone"].status == "pass"
    assert found["judge.helpfulness"].status == "fail"
    assert found["judge.helpfulness"].reason == "Ignores the question."
    prompt = str(model.seen[0][-1].content)
    assert "<<<DRAFT" in prompt and "dispatch delays" in prompt and "Criterion: tone" in prompt


def test_the_judge_does_not_apply_without_a_draft() -> None:
    model = ScriptedChatModel(script=[])
    silent = with_outputs(good_trace(), draft=None)
    judged = [v for v in score_trace(silent, model) if v.name.startswith("judge.")]
    assert {v.status for v in judged} == {"na"} and not model.seen
