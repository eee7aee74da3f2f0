import pytest

from sales_agent.graph.approval import ApprovalDecision, InvalidResumeError, parse_resume


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
        ([{"type": "response", "args": "shorter please"}], "respond is not enabled"),
        ([{"type": "edit", "args": {}}], "an edit needs a new subject or body"),
        ([{"type": "edit", "args": {"body": 3}}], "body must be text"),
    ],
)
def test_malformed_resumes_say_what_was_expected(value: object, message: str) -> None:
    with pytest.raises(InvalidResumeError, match=message):
        parse_resume(value)
