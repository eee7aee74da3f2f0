"""Trajectory: the node path is the one the expected behaviour implies.

A drafting run goes through the gatherers (in any order), the planner, the writer and the gate
(re-writes allowed), the CRM, Gmail and approval; a run that should write nothing ends after
the planner. Repeats of a node (approval runs again on resume) are collapsed first.
"""

from __future__ import annotations

import re
from itertools import groupby

from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict

__all__ = ["DRAFTING_PATH", "SILENT_PATH", "TRAJECTORY_EVALUATORS", "expects_draft"]

_HEAD = r"trigger resolve_identity policy_precheck (?:(?:read_thread|recall_memory|find_assets|propose_slots) ){4}plan_next_step "  # noqa: E501
DRAFTING_PATH = re.compile(
    _HEAD + r"(?:write_draft quality_gate )+log_to_crm place_gmail_draft await_approval "
    r"(?:deliver )?record_outcome"
)
"""The path of a run that places a draft and has it answered."""
SILENT_PATH = re.compile(_HEAD + "record_outcome")
"""The path of a run that decides to write nothing."""


def expects_draft(trace: Trace) -> bool | None:
    """Whether the labels imply a draft: `draft`, else `suppressed`, else the action."""
    expect = trace.expect
    if expect.get("draft") is not None:
        return bool(expect["draft"])
    if expect.get("suppressed"):
        return False
    actions = expect.get("action_in") or ([expect["action"]] if expect.get("action") else [])
    if actions:
        if all(a == "NO_ACTION" for a in actions):
            return False
        if "NO_ACTION" not in actions:
            return True
    return None


def path(trace: Trace) -> Verdict:
    """The collapsed node path matches the expected shape."""
    name = "trajectory.path"
    wanted = expects_draft(trace)
    if wanted is None:
        return na(name, "the labels imply no path")
    steps = [node for node, _ in groupby(trace.node_path)]
    shape = DRAFTING_PATH if wanted else SILENT_PATH
    ok = shape.fullmatch(" ".join(steps)) is not None
    kind = "drafting" if wanted else "no-draft"
    return verdict(name, ok, f"expected a {kind} path, got {' > '.join(steps)}")


TRAJECTORY_EVALUATORS = (path,)
