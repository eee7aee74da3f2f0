"""`strip_reply`: the new text of an email, without quoted history or signature block."""

from __future__ import annotations

import pytest

from sales_agent.connectors.gmail_parsing import strip_reply

GMAIL_QUOTE = """Hi Dana,

Thanks, this is helpful. What would the pricing be for three months?

Best,
Zoë

--
Zoë Müller
CFO | Halden Foods

On Tue, 17 Nov 2026 at 10:02, Dana Reyes <dana@chaingepartners.example> wrote:
> Hi Zoë,
>
> Quick one following our chat.
"""

OUTLOOK_QUOTE = """Dana,

Not for us right now.

Kind regards,
Søren
Søren Lindqvist
Operations Director | Fjordline Seafood

________________________________
From: Dana Reyes <dana@chaingepartners.example>
Sent: Monday, 16 November 2026 09:12
To: Søren Lindqvist <soren.lindqvist@fjordline.example>
Subject: Proposal

Hi Søren,
"""


def test_gmail_quote_and_delimited_signature() -> None:
    assert strip_reply(GMAIL_QUOTE) == (
        "Hi Dana,\n\nThanks, this is helpful. What would the pricing be for three months?"
        "\n\nBest,\nZoë"
    )


def test_outlook_quote_and_undelimited_signature() -> None:
    assert strip_reply(OUTLOOK_QUOTE) == "Dana,\n\nNot for us right now.\n\nKind regards,\nSøren"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sounds good.\n\nSent from my iPhone", "Sounds good."),
        ("Bitte nicht.\n\nVon meinem iPhone gesendet", "Bitte nicht."),
        ("Manda o link.\n\nGustavo\n\nEnviado do meu celular", "Manda o link.\n\nGustavo"),
        ("Heb je een casestudy?\n\nVerstuurd vanaf mijn iPhone", "Heb je een casestudy?"),
        ("Non merci.\n\nEnvoyé de mon iPhone", "Non merci."),
        ("Von meinem Handy aus: Dienstag passt.", "Von meinem Handy aus: Dienstag passt."),
        ("Yes please.\n\n-----Original Message-----\nFrom: Dana\nSent: Monday", "Yes please."),
        ("Ok.\n\nOn Mon, 2 Nov 2026, Dana <d@x.example> wrote:\n> Hi", "Ok."),
        ("On Mon, 2 Nov 2026, Dana <d@x.example> wrote:\n> Hi", ""),
        ("Thanks, that works.\n\nRahul", "Thanks, that works.\n\nRahul"),
        ("", ""),
    ],
)
def test_edge_cases(text: str, expected: str) -> None:
    assert strip_reply(text) == expected


def test_a_line_starting_with_thanks_is_not_a_signature() -> None:
    text = "Hi Dana,\n\nThanks, this helps.\nWe start in March.\n\nCheers,\nKofi\nKofi Mensah"
    assert (
        strip_reply(text) == "Hi Dana,\n\nThanks, this helps.\nWe start in March.\n\nCheers,\nKofi"
    )
