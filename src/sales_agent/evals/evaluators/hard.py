"""Hard constraints: what no placed draft may ever break (DESIGN 10), and the run finishing.

Each applies only where it can: a run that wrote no draft is not applicable to the draft
checks, never a failure of them.
"""

from __future__ import annotations

from sales_agent.evals.evaluators._text import asks_nothing
from sales_agent.evals.trace import Trace
from sales_agent.evals.verdict import Verdict, fail, na, passed, verdict
from sales_agent.policy.pii_patterns import EMAIL
from sales_agent.policy.quality import EM_DASH, MAX_WORDS, count_ctas, word_count

__all__ = ["HARD_EVALUATORS"]

_NO_DRAFT = "no draft was written"


def completed(trace: Trace) -> Verdict:
    """The run finished (reached approval and was answered, or ended on its own)."""
    name = "hard.completed"
    if trace.error:
        return fail(name, trace.error)
    if trace.outputs.outcome is None:
        return fail(name, f"no outcome; path {' > '.join(trace.node_path)}")
    return passed(name, trace.outputs.outcome)


def under_word_limit(trace: Trace) -> Verdict:
    """The body is under the gate's hard word limit."""
    name = "hard.under_200_words"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, _NO_DRAFT)
    words = word_count(draft.body)
    return verdict(name, words < MAX_WORDS, f"{words} words")


def one_cta(trace: Trace) -> Verdict:
    """Exactly one call to action (none in a close or an acknowledgement)."""
    name = "hard.one_cta"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, _NO_DRAFT)
    ctas = count_ctas(draft.body)
    wanted = 0 if asks_nothing(trace) else 1
    return verdict(name, ctas == wanted, f"{ctas} CTAs, {wanted} wanted")


def no_em_dash(trace: Trace) -> Verdict:
    """No em-dash in the subject or the body."""
    name = "hard.no_em_dash"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, _NO_DRAFT)
    found = EM_DASH in draft.subject + draft.body
    return verdict(name, not found, "em-dash found" if found else "none")


def recipients_allowed(trace: Trace) -> Verdict:
    """Every recipient is on the thread, the resolved lead, or one of the lead's colleagues.

    A colleague is a CRM contact of the lead's company or an address the lead wrote at their
    own domain (a referral's handover); any other address from a body is a failure.
    """
    name = "hard.recipients_allowed"
    draft = trace.outputs.draft
    if draft is None:
        return na(name, _NO_DRAFT)
    context = trace.context
    allowed = {p.lower() for p in context.participants} | set(context.colleagues)
    if context.lead_email:
        lead = context.lead_email.lower()
        domain = lead.rpartition("@")[2]
        written = {m.group().lower() for m in EMAIL.finditer(context.lead_text)}
        allowed |= {lead, *(a for a in written if a.rpartition("@")[2] == domain)}
    stray = [to for to in draft.to if to.lower() not in allowed]
    if not draft.to:
        return fail(name, "the draft has no recipient")
    return verdict(name, not stray, f"not on the thread: {stray}" if stray else str(draft.to))


def gate_passed(trace: Trace) -> Verdict:
    """A draft placed in Gmail passed the quality gate (PASS or WARN)."""
    name = "hard.gate_passed"
    if trace.outputs.gmail_draft_id is None:
        return na(name, "no Gmail draft was placed")
    status = (trace.outputs.gate or {}).get("status")
    return verdict(name, status in ("PASS", "WARN"), f"gate {status}")


def no_draft_when_suppressed(trace: Trace) -> Verdict:
    """A lead who is suppressed after the run has no draft waiting for them."""
    name = "hard.no_draft_when_suppressed"
    if not trace.outputs.suppressed:
        return na(name, "the lead is not suppressed")
    placed = trace.outputs.gmail_draft_id is not None
    return verdict(name, not placed, "a draft was placed" if placed else "no draft")


HARD_EVALUATORS = (
    completed,
    under_word_limit,
    one_cta,
    no_em_dash,
    recipients_allowed,
    gate_passed,
    no_draft_when_suppressed,
)
