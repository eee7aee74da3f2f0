import logging
import sys

import pytest

from sales_agent.policy.pii import (
    PiiLogFilter,
    Redactor,
    default_redactor,
    install_log_redaction,
    packaged_first_names,
    redact_value,
    set_default_redactor,
)

CRM = Redactor.with_crm(
    ["Priya Natarajan", "Dmitri Halvorsen"], ["Halden Foods", "Müller & Söhne Maschinenbau"]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("write to priya@northwind-logistics.example today", "write to [EMAIL] today"),
        ("call +44 20 7946 0321 now", "call [PHONE] now"),
        ("call 020 7946 0321 or 07700 900123", "call [PHONE] or [PHONE]"),
        ("ring +49 (0)711 123456 or (415) 555-0100", "ring [PHONE] or [PHONE]"),
        ("it cost £40k, $1.2m and €5,000", "it cost [AMOUNT], [AMOUNT] and [AMOUNT]"),
        ("budget 40k GBP or USD 10k or 1,200 euros", "budget [AMOUNT] or [AMOUNT] or [AMOUNT]"),
        ("see https://evil.example/x?y=1.", "see [URL]."),
        ("see www.acme.com, or northwind-logistics.example.", "see [URL], or [DOMAIN]."),
        ("Halden Foods and HALDEN FOODS", "[COMPANY] and [COMPANY]"),
        ("Müller & Söhne Maschinenbau said", "[COMPANY] said"),
        ("Priya Natarajan met Mr Halvorsen", "[NAME] met Mr [NAME]"),
        ("Dmitri said yes", "[NAME] said yes"),
        # A packaged first name takes the capitalised word after it as the surname.
        ("Chloé Boateng and Łucja Álvarez agreed", "[NAME] and [NAME] agreed"),
    ],
)
def test_each_kind_of_detail_gets_its_placeholder(text: str, expected: str) -> None:
    assert CRM.redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Would Tue 25 Nov at 10:00 or Wed 26 Nov at 14:00 work for a 30-minute call?",
        "Version 3.5 cut 38% off a 3 to 4 hour wait in 2026-11-25, e.g. on Mondays.",
        "We will see, and may try it in June. Grant us a week.",
        "orders sit in staging for 3 hours; priya thinks so",
    ],
)
def test_ordinary_prose_is_left_alone(text: str) -> None:
    assert CRM.redact(text) == text


def test_names_match_only_when_capitalised() -> None:
    redactor = Redactor(names=["Priya"])
    assert redactor.redact("Priya and priya") == "[NAME] and priya"


def test_packaged_names_leave_out_words_that_are_also_names() -> None:
    names = set(packaged_first_names())
    assert {"Priya", "Dana", "Siobhán"} <= names
    assert not {"May", "Will", "Mark", "Grant", "Hope"} & names


def test_redact_value_walks_dicts_lists_and_tuples_and_keeps_other_types() -> None:
    value = {"to": ["priya@northwind-logistics.example"], "n": 3, "t": ("£40k", None)}
    assert CRM.redact_value(value) == {"to": ["[EMAIL]"], "n": 3, "t": ("[AMOUNT]", None)}


def test_module_redact_value_uses_the_process_default() -> None:
    previous = default_redactor()
    try:
        set_default_redactor(Redactor(companies=["Halden Foods"]))
        assert redact_value({"note": "Halden Foods, +44 20 7946 0321"}) == {
            "note": "[COMPANY], [PHONE]"
        }
    finally:
        set_default_redactor(previous)


def test_log_filter_redacts_arguments_and_exception_text() -> None:
    record = logging.LogRecord(
        "t", logging.ERROR, __file__, 1, "mail to %s failed", ("priya@acme.example",), None
    )
    try:
        raise ValueError("bad address priya@acme.example")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert PiiLogFilter(CRM).filter(record)
    formatted = logging.Formatter().format(record)
    assert "priya@acme.example" not in formatted
    assert "mail to [EMAIL] failed" in formatted
    assert "bad address [EMAIL]" in formatted


def test_a_malformed_log_call_is_still_redacted_and_does_not_raise() -> None:
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "to %s and %s", ("priya@acme.example",), None
    )
    assert PiiLogFilter(CRM).filter(record)
    assert record.getMessage() == "to %s and %s ('[EMAIL]',)"


def test_install_puts_one_filter_on_each_root_handler() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    installed = install_log_redaction(CRM)
    try:
        installed = install_log_redaction(CRM)
        assert [f for f in handler.filters if isinstance(f, PiiLogFilter)] == [installed]
        # A record from any child logger passes the handler's filter.
        record = logging.getLogger("sales_agent.x").makeRecord(
            "sales_agent.x", logging.WARNING, __file__, 1, "Priya Natarajan: %s", ("£40k",), None
        )
        handler.filter(record)
        assert record.getMessage() == "[NAME]: [AMOUNT]"
    finally:
        root.removeHandler(handler)
        for other in root.handlers:
            other.removeFilter(installed)
