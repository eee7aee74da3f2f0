"""The CRM name index finds names as whole words, in one pass, whatever their length."""

from __future__ import annotations

from sales_agent.db.crm_mirror import MirrorName
from sales_agent.policy.crm_names import CrmNames


def _index(*rows: MirrorName) -> CrmNames:
    names = CrmNames()
    for row in rows:
        names._add(row)  # what `refresh` does with each row it reads from the mirror
    return names


def _person(name: str, email: str, record: str) -> MirrorName:
    return MirrorName(
        kind="person", name=name, key=email, company_id="c1", record_id=record, version=1
    )


def _company(name: str, company_id: str) -> MirrorName:
    return MirrorName(
        kind="company",
        name=name,
        key=company_id,
        company_id=company_id,
        record_id=company_id,
        version=1,
    )


def test_names_are_found_as_whole_words_of_any_length() -> None:
    names = _index(
        _person("Priya Natarajan", "priya@halden.example", "1"),
        _person("Priya Shah", "pshah@other.example", "2"),
        _company("Halden Foods", "c1"),
        _company("Halden Foods Logistics International", "c2"),
        _company("O'Brien & Sons", "c3"),
    )
    text = "Met PRIYA natarajan; halden foods logistics international and O'Brien & Sons too."
    found = {(hit.kind, hit.name) for hit in names.found_in(text)}
    assert ("person", "Priya Natarajan") in found
    assert ("person", "Priya Shah") not in found
    assert {
        ("company", "Halden Foods"),
        ("company", "Halden Foods Logistics International"),
    } <= found
    assert ("company", "O'Brien & Sons") in found
    assert ("part", "Natarajan") in found  # a surname alone, for the log redactor


def test_a_name_inside_a_longer_word_is_not_found() -> None:
    names = _index(_company("Acme", "c9"), _person("Li Wei", "li@x.example", "3"))
    assert names.found_in("Acmeville likely sells widgets") == []
