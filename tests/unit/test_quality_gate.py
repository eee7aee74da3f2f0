from sales_agent.graph.state import Draft, GateStatus
from sales_agent.policy.quality import check_draft, count_ctas, word_count

GOOD = (
    "Hi Priya,\n\nThanks for the note on dispatch delays. A call is the quickest way to see "
    "where the time goes.\n\nWould Tue 25 Nov at 10:00 or Wed 26 Nov at 14:00 work for a "
    "30-minute call?\n\nCheers,\nDana"
)


def draft(body: str, subject: str = "Re: Dispatch delays") -> Draft:
    return Draft(to=("priya@northwind-logistics.example",), subject=subject, body=body)


def checks(body: str, **kwargs: object) -> set[str]:
    return {v.check for v in check_draft(draft(body), **kwargs).violations}  # type: ignore[arg-type]


def test_good_draft_passes() -> None:
    result = check_draft(draft(GOOD))
    assert result.status is GateStatus.PASS
    assert result.violations == ()


def test_two_questions_fail_the_single_cta_rule() -> None:
    body = GOOD.replace("Thanks for the note", "Did you see my note?\n\nThanks for the note")
    assert count_ctas(body) == 2
    result = check_draft(draft(body))
    assert result.status is GateStatus.FAIL
    assert "2 calls to action" in result.reason


def test_imperative_ask_counts_as_a_cta() -> None:
    body = GOOD.replace("Thanks for the note", "Let me know your thoughts. Thanks for the note")
    assert "cta" in checks(body)


def test_no_cta_fails() -> None:
    assert "cta" in checks("Hi Priya,\n\nJust sharing an update.\n\nCheers,\nDana")


def test_em_dash_fails_in_body_and_subject() -> None:
    assert "em_dash" in checks(GOOD.replace("delays.", "delays \u2014 noted."))
    result = check_draft(draft(GOOD, subject="Re: delays \u2014 next steps"))
    assert {v.check for v in result.violations} == {"em_dash"}


def body_of(words: int) -> str:
    ask = "Would Tuesday work for a call?"
    filler = " ".join(["word"] * (words - word_count(ask)))
    return f"{filler}.\n\n{ask}"


def test_two_hundred_words_fail_and_199_pass() -> None:
    assert word_count(body_of(199)) == 199
    assert "length" not in checks(body_of(199))
    assert word_count(body_of(200)) == 200
    assert "length" in checks(body_of(200))


def test_forbidden_words_from_the_voice_profile() -> None:
    body = GOOD.replace("quickest way", "best way to leverage")
    assert "forbidden_word" in checks(body, forbidden_words=["leverage"])
    assert "forbidden_word" not in checks(GOOD, forbidden_words=["leverage"])
