import pytest

from sales_agent.domain.approval import (
    ApprovalDecision,
    ApprovalRequest,
    InvalidResumeError,
    build_interrupt,
    parse_resume,
)
from sales_agent.domain.draft import Draft, GateResult, GateStatus


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([{"type": "accept", "args": None}], ApprovalDecision(kind="accept")),
        ({"type": "accept"}, ApprovalDecision(kind="accept")),
        ([{"type": "ignore", "args": None}], ApprovalDecision(kind="ignore")),
        ({"decisions": [{"type": "approve"}]}, ApprovalDecision(kind="accept")),
        ({"decisions": [{"type": "reject", "message": "no"}]}, ApprovalDecision(kind="ignore")),
        (
            [{"type": "edit", "args": {"action": "approve_gmail_draft", "args": {"body": "B"}}}],
            ApprovalDecision(kind="edit", body="B"),
        ),
        (
            {"decisions": [{"type": "edit", "subject": "S", "body": "B"}]},
            ApprovalDecision(kind="edit", subject="S", body="B"),
        ),
        (
            {
                "decisions": [
                    {
                        "type": "edit",
                        "edited_action": {"name": "approve_gmail_draft", "args": {"body": "B"}},
                    }
                ]
            },
            ApprovalDecision(kind="edit", body="B"),
        ),
        (
            [{"type": "response", "args": "shorter please"}],
            ApprovalDecision(kind="respond", feedback="shorter please"),
        ),
        (
            {"decisions": [{"type": "respond", "message": "mention the pilot"}]},
            ApprovalDecision(kind="respond", feedback="mention the pilot"),
        ),
        ({"system": "expired"}, ApprovalDecision(kind="expired")),
    ],
)
def test_both_resume_shapes_are_understood(value: object, expected: ApprovalDecision) -> None:
    assert parse_resume(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", "expected a response with type"),
        ([], "exactly one response"),
        ({"decisions": []}, "one decision"),
        ({"type": "send"}, "expected a response with type"),
        ([{"type": "response", "args": " "}], "a respond needs the operator's feedback"),
        ({"decisions": [{"type": "respond"}]}, "a respond needs the operator's feedback"),
        ({"system": "sent"}, "system resume must be one of"),
        ([{"type": "edit", "args": {}}], "an edit needs a new subject or body"),
        ([{"type": "edit", "args": {"body": 3}}], "body must be text"),
    ],
)
def test_malformed_resumes_say_what_was_expected(value: object, message: str) -> None:
    with pytest.raises(InvalidResumeError, match=message):
        parse_resume(value)


def test_only_the_agents_own_resumes_are_not_the_operators() -> None:
    assert not parse_resume({"system": "expired"}).by_operator
    assert parse_resume({"type": "accept"}).by_operator


def _request() -> ApprovalRequest:
    draft = Draft(to=("priya@northwind-logistics.example",), subject="Pilot", body="Hi Priya")
    return ApprovalRequest(
        draft=draft,
        thread=None,
        plan=None,
        slots=[],
        assets=[],
        gate=GateResult(status=GateStatus.PASS),
        gmail_draft_id="d-1",
        timezone="Europe/London",
    )


def test_the_interrupt_comes_in_the_agent_inbox_shape_by_default() -> None:
    built = build_interrupt(_request())
    assert isinstance(built, list)
    [interrupt] = built
    assert interrupt["action_request"]["action"] == "approve_gmail_draft"
    assert interrupt["action_request"]["args"]["gmail_draft_id"] == "d-1"
    assert interrupt["config"]["allow_accept"] is True


def test_the_hitl_request_shape_names_the_action_and_its_decisions() -> None:
    interrupt = build_interrupt(_request(), "hitl_request")
    assert isinstance(interrupt, dict)
    [action] = interrupt["action_requests"]
    assert action["name"] == "approve_gmail_draft"
    assert action["args"]["body"] == "Hi Priya"
    assert "## Reply to priya@northwind-logistics.example" in action["description"]
    [review] = interrupt["review_configs"]
    assert review == {
        "action_name": "approve_gmail_draft",
        "allowed_decisions": ["approve", "edit", "reject"],
    }
