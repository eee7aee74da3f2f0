"""Expected behaviour: one evaluator per `expect` key, each not applicable when the key is absent.

Intents are compared after `labels.canonical_intent`, so the reader's legacy names count.
"""

from __future__ import annotations

from datetime import date

from sales_agent.evals.evaluators._text import contains
from sales_agent.evals.labels import canonical_intent
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, na, verdict
from sales_agent.policy.quality import word_count

__all__ = ["EXPECT_EVALUATORS", "actual_action"]

_NOT_LABELLED = "not labelled"


def actual_action(trace: Trace) -> str:
    """The plan's action; a run stopped before planning (blocked) did nothing: NO_ACTION."""
    return trace.outputs.action or "NO_ACTION"


def intent(trace: Trace) -> Verdict:
    """The reader's intent (canonical name) is the labelled one."""
    name, expected = "expect.intent", trace.expect.get("intent")
    if expected is None:
        return na(name, _NOT_LABELLED)
    actual = canonical_intent(trace.outputs.intent)
    return verdict(name, actual == expected, f"expected {expected}, got {actual}")


def action(trace: Trace) -> Verdict:
    """The planner's action is the expected one (or one of `action_in`)."""
    name = "expect.action"
    expected = trace.expect.get("action")
    allowed = trace.expect.get("action_in") or ([expected] if expected else None)
    if not allowed:
        return na(name, _NOT_LABELLED)
    actual = actual_action(trace)
    return verdict(name, actual in allowed, f"expected {' or '.join(allowed)}, got {actual}")


def _yes_or_no(trace: Trace, key: str, actual: bool) -> Verdict:
    """A boolean `expect` key against what the run did."""
    name, expected = f"expect.{key}", trace.expect.get(key)
    if expected is None:
        return na(name, _NOT_LABELLED)
    return verdict(name, actual == expected, f"expected {key}={expected}, got {actual}")


def draft(trace: Trace) -> Verdict:
    """A Gmail draft awaits the operator, or not, as expected."""
    return _yes_or_no(trace, "draft", trace.outputs.gmail_draft_id is not None)


def suppressed(trace: Trace) -> Verdict:
    """The lead is (or is not) on the suppression list after the run."""
    return _yes_or_no(trace, "suppressed", trace.outputs.suppressed)


def task(trace: Trace) -> Verdict:
    """The run created a CRM task, or none, as expected."""
    return _yes_or_no(trace, "task", bool(trace.outputs.tasks))


def task_due_after(trace: Trace) -> Verdict:
    """Some task the run created is due after the labelled day (e.g. a return from leave)."""
    name, raw = "expect.task_due_after", trace.expect.get("task_due_after")
    if raw is None:
        return na(name, _NOT_LABELLED)
    after = date.fromisoformat(str(raw))
    dues = [t.due.date() for t in trace.outputs.tasks if t.due is not None]
    ok = any(due > after for due in dues)
    return verdict(name, ok, f"due {[d.isoformat() for d in dues]}, wanted after {after}")


def flagged(trace: Trace) -> Verdict:
    """The run was flagged for the operator's attention, or not, as expected."""
    return _yes_or_no(trace, "flagged", trace.outputs.flagged)


def must_contain_any(trace: Trace) -> Verdict:
    """The draft says at least one of the labelled phrases."""
    name, phrases = "expect.must_contain_any", trace.expect.get("must_contain_any")
    if not phrases:
        return na(name, _NOT_LABELLED)
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    text = f"{trace.outputs.draft.subject}\n{trace.outputs.draft.body}"
    found = [p for p in phrases if contains(text, p)]
    return verdict(name, bool(found), f"found {found}" if found else f"none of {phrases}")


def must_not_contain(trace: Trace) -> Verdict:
    """The draft says none of the labelled phrases."""
    name, phrases = "expect.must_not_contain", trace.expect.get("must_not_contain")
    if not phrases:
        return na(name, _NOT_LABELLED)
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    text = f"{trace.outputs.draft.subject}\n{trace.outputs.draft.body}"
    found = [p for p in phrases if contains(text, p)]
    return verdict(name, not found, f"says {found}" if found else "none said")


def recipients(trace: Trace) -> Verdict:
    """The draft goes to exactly the labelled addresses."""
    name = "expect.recipients"
    expected = trace.expect.get("recipients")
    if expected is None and trace.expect.get("contact_email"):
        expected = [trace.expect["contact_email"]]
    if expected is None:
        return na(name, _NOT_LABELLED)
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    actual = sorted(a.lower() for a in trace.outputs.recipients)
    wanted = sorted(a.lower() for a in expected)
    return verdict(name, actual == wanted, f"expected {wanted}, got {actual}")


def max_words(trace: Trace) -> Verdict:
    """The body is no longer than the labelled bound."""
    name, bound = "expect.max_words", trace.expect.get("max_words")
    if bound is None:
        return na(name, _NOT_LABELLED)
    if trace.outputs.draft is None:
        return na(name, "no draft was written")
    words = word_count(trace.outputs.draft.body)
    return verdict(name, words <= int(bound), f"{words} words, at most {bound}")


def outcome(trace: Trace) -> Verdict:
    """The run ended with the labelled outcome."""
    name, expected = "expect.outcome", trace.expect.get("outcome")
    if expected is None:
        return na(name, _NOT_LABELLED)
    actual = trace.outputs.outcome
    return verdict(name, actual == expected, f"expected {expected}, got {actual}")


EXPECT_EVALUATORS = (
    intent,
    action,
    draft,
    suppressed,
    task,
    task_due_after,
    flagged,
    must_contain_any,
    must_not_contain,
    recipients,
    max_words,
    outcome,
)
