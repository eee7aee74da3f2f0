import pytest

from sales_agent.domain.approval import ApprovalDecision, InvalidResumeError, parse_resume


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
