"""The lead's time zone from HubSpot's hs_timezone, which sends use for business hours."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sales_agent.connectors.hubspot_parse import parse_contact


@pytest.mark.parametrize(
    ("value", "zone"),
    [
        ("america_slash_new_york", "America/New_York"),
        ("europe_slash_london", "Europe/London"),
        ("america_slash_argentina_slash_buenos_aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        ("not_slash_a_zone", None),
        ("", None),
        (None, None),
    ],
)
def test_hs_timezone_becomes_an_iana_zone_or_none(value: str | None, zone: str | None) -> None:
    record = SimpleNamespace(id=7, properties={"email": "a@b.example", "hs_timezone": value})
    assert parse_contact(record).timezone == zone
