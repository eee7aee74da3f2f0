"""Schema and coverage checks for the labelled inbound-reply corpus."""

import json
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sales_agent.evals import labels

DATASET = Path(__file__).parents[2] / "evals" / "datasets" / "replies.jsonl"
EXTRA2 = DATASET.with_name("replies_extra2.jsonl")
EXTRA3 = DATASET.with_name("replies_extra3.jsonl")
EXTRA4 = DATASET.with_name("replies_extra4.jsonl")
EXTRA5 = DATASET.with_name("replies_extra5.jsonl")
EXTRA6 = DATASET.with_name("replies_extra6.jsonl")
EXTRA7 = DATASET.with_name("replies_extra7.jsonl")
EXTRA8 = DATASET.with_name("replies_extra8.jsonl")
EXTRA9 = DATASET.with_name("replies_extra9.jsonl")
EXTRA10 = DATASET.with_name("replies_extra10.jsonl")
EXTRA11 = DATASET.with_name("replies_extra11.jsonl")
EXTRA12 = DATASET.with_name("replies_extra12.jsonl")
EXTRA13 = DATASET.with_name("replies_extra13.jsonl")
EXTRA14 = DATASET.with_name("replies_extra14.jsonl")
EXTRA15 = DATASET.with_name("replies_extra15.jsonl")
EXTRA16 = DATASET.with_name("replies_extra16.jsonl")
EXTRA17 = DATASET.with_name("replies_extra17.jsonl")
EXTRA18 = DATASET.with_name("replies_extra18.jsonl")
EXTRA19 = DATASET.with_name("replies_extra19.jsonl")
EXTRA20 = DATASET.with_name("replies_extra20.jsonl")
EXTRA21 = DATASET.with_name("replies_extra21.jsonl")
EXTRA22 = DATASET.with_name("replies_extra22.jsonl")
EXTRA23 = DATASET.with_name("replies_extra23.jsonl")
EXTRA24 = DATASET.with_name("replies_extra24.jsonl")
EXTRA25 = DATASET.with_name("replies_extra25.jsonl")
EXTRA26 = DATASET.with_name("replies_extra26.jsonl")
EXTRA27 = DATASET.with_name("replies_extra27.jsonl")
EXTRA28 = DATASET.with_name("replies_extra28.jsonl")
EXTRA29 = DATASET.with_name("replies_extra29.jsonl")
EXTRA30 = DATASET.with_name("replies_extra30.jsonl")
EXTRA31 = DATASET.with_name("replies_extra31.jsonl")
EXTRA32 = DATASET.with_name("replies_extra32.jsonl")
EXTRA33 = DATASET.with_name("replies_extra33.jsonl")
EXTRA34 = DATASET.with_name("replies_extra34.jsonl")
EXTRA35 = DATASET.with_name("replies_extra35.jsonl")
EXTRA36 = DATASET.with_name("replies_extra36.jsonl")
EXTRA37 = DATASET.with_name("replies_extra37.jsonl")
EXTRA38 = DATASET.with_name("replies_extra38.jsonl")
EXTRA39 = DATASET.with_name("replies_extra39.jsonl")
EXTRA40 = DATASET.with_name("replies_extra40.jsonl")
EXTRA41 = DATASET.with_name("replies_extra41.jsonl")
EXTRA42 = DATASET.with_name("replies_extra42.jsonl")
EXTRA43 = DATASET.with_name("replies_extra43.jsonl")
EXTRA44 = DATASET.with_name("replies_extra44.jsonl")
EXTRA45 = DATASET.with_name("replies_extra45.jsonl")
EXTRA46 = DATASET.with_name("replies_extra46.jsonl")
EXTRA47 = DATASET.with_name("replies_extra47.jsonl")
EXTRA48 = DATASET.with_name("replies_extra48.jsonl")
EXTRA49 = DATASET.with_name("replies_extra49.jsonl")
EXTRA50 = DATASET.with_name("replies_extra50.jsonl")
EXTRA51 = DATASET.with_name("replies_extra51.jsonl")
EXTRA52 = DATASET.with_name("replies_extra52.jsonl")
EXTRA53 = DATASET.with_name("replies_extra53.jsonl")
EXTRA54 = DATASET.with_name("replies_extra54.jsonl")
EXTRA55 = DATASET.with_name("replies_extra55.jsonl")
EXTRA56 = DATASET.with_name("replies_extra56.jsonl")
EXTRA57 = DATASET.with_name("replies_extra57.jsonl")
EXTRA58 = DATASET.with_name("replies_extra58.jsonl")
EXTRA59 = DATASET.with_name("replies_extra59.jsonl")
EXTRA60 = DATASET.with_name("replies_extra60.jsonl")
EXTRA61 = DATASET.with_name("replies_extra61.jsonl")
EXTRA62 = DATASET.with_name("replies_extra62.jsonl")
EXTRA63 = DATASET.with_name("replies_extra63.jsonl")
EXTRA64 = DATASET.with_name("replies_extra64.jsonl")
EXTRA65 = DATASET.with_name("replies_extra65.jsonl")
EXTRA66 = DATASET.with_name("replies_extra66.jsonl")
EXTRA67 = DATASET.with_name("replies_extra67.jsonl")
EXTRA68 = DATASET.with_name("replies_extra68.jsonl")
EXTRA69 = DATASET.with_name("replies_extra69.jsonl")
EXTRA70 = DATASET.with_name("replies_extra70.jsonl")
EXTRA71 = DATASET.with_name("replies_extra71.jsonl")
EXTRA72 = DATASET.with_name("replies_extra72.jsonl")
EXTRA73 = DATASET.with_name("replies_extra73.jsonl")
EXTRA74 = DATASET.with_name("replies_extra74.jsonl")
EXTRA75 = DATASET.with_name("replies_extra75.jsonl")
EXTRA76 = DATASET.with_name("replies_extra76.jsonl")
EXTRA77 = DATASET.with_name("replies_extra77.jsonl")
EXTRA78 = DATASET.with_name("replies_extra78.jsonl")
EXTRA79 = DATASET.with_name("replies_extra79.jsonl")
EXTRA80 = DATASET.with_name("replies_extra80.jsonl")
EXTRA81 = DATASET.with_name("replies_extra81.jsonl")
EXTRA82 = DATASET.with_name("replies_extra82.jsonl")
EXTRA83 = DATASET.with_name("replies_extra83.jsonl")
EXTRA84 = DATASET.with_name("replies_extra84.jsonl")
# Files whose lines must pass the shape, policy and unique-name checks.
CHECKED = [
    DATASET,
    EXTRA2,
    EXTRA3,
    EXTRA4,
    EXTRA5,
    EXTRA6,
    EXTRA7,
    EXTRA8,
    EXTRA9,
    EXTRA10,
    EXTRA11,
    EXTRA12,
    EXTRA13,
    EXTRA14,
    EXTRA15,
    EXTRA16,
    EXTRA17,
    EXTRA18,
    EXTRA19,
    EXTRA20,
    EXTRA21,
    EXTRA22,
    EXTRA23,
    EXTRA24,
    EXTRA25,
    EXTRA26,
    EXTRA27,
    EXTRA28,
    EXTRA29,
    EXTRA30,
    EXTRA31,
    EXTRA32,
    EXTRA33,
    EXTRA34,
    EXTRA35,
    EXTRA36,
    EXTRA37,
    EXTRA38,
    EXTRA39,
    EXTRA40,
    EXTRA41,
    EXTRA42,
    EXTRA43,
    EXTRA44,
    EXTRA45,
    EXTRA46,
    EXTRA47,
    EXTRA48,
    EXTRA49,
    EXTRA50,
    EXTRA51,
    EXTRA52,
    EXTRA53,
    EXTRA54,
    EXTRA55,
    EXTRA56,
    EXTRA57,
    EXTRA58,
    EXTRA59,
    EXTRA60,
    EXTRA61,
    EXTRA62,
    EXTRA63,
    EXTRA64,
    EXTRA65,
    EXTRA66,
    EXTRA67,
    EXTRA68,
    EXTRA69,
    EXTRA70,
    EXTRA71,
    EXTRA72,
    EXTRA73,
    EXTRA74,
    EXTRA75,
    EXTRA76,
    EXTRA77,
    EXTRA78,
    EXTRA79,
    EXTRA80,
    EXTRA81,
    EXTRA82,
    EXTRA83,
    EXTRA84,
]
# Files that extra2 may share no body with (besides the trivial "STOP" and "?").
OTHERS_OF_EXTRA2 = [
    DATASET,
    DATASET.with_name("replies_extra.jsonl"),
    DATASET.with_name("replies_holdout.jsonl"),
]

INTENTS = set(labels.INTENTS)
COMMON_INTENTS = {
    "meeting_request",
    "pricing_question",
    "question",
    "objection",
    "timing",
    "not_interested",
    "new_lead",
}
SAFETY_CRITICAL = set(labels.SAFETY_INTENTS)
LANGS = {"en", "de", "fr", "es", "it", "nl", "pt"}
ACTIONS = set(labels.ACTIONS)
WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
EXPECT_KEYS = {
    "intent",
    "action",
    "action_in",
    "draft",
    "suppressed",
    "task",
    "task_due_after",
    "flagged",
    "must_contain_any",
    "must_not_contain",
    "recipients",
    "max_words",
    "slots_on",
    "slots_after",
    "slots_before",
    "outcome",
}
INBOUND_KEYS = {"from", "cc", "subject", "body", "html", "quoted_history"}
FROM_RE = re.compile(r"^[^<>]+ <[^<>@\s]+@[^<>@\s]+\.example>$")
HHMM_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
EVAL_DAY = date(2026, 3, 2)


def _load(path: Path = DATASET) -> list[dict[str, Any]]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            assert line.strip(), f"line {number} is blank"
            rows.append(json.loads(line))
    return rows


ROWS = _load()


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_corpus_is_large_enough() -> None:
    assert len(ROWS) >= 300


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_names_are_unique_snake_case(path: Path) -> None:
    names = [row["name"] for row in _load(path)]
    assert [n for n, c in Counter(names).items() if c > 1] == []
    assert all(re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)*", n) for n in names)


def _shape_problems(row: dict[str, Any]) -> list[str]:
    problems = []

    def check(ok: object, what: str) -> None:
        if not ok:
            problems.append(what)

    check(set(row) == {"name", "split", "lang", "inbound", "expect"}, "top-level keys")
    check(row.get("split") in {"dev", "test"}, "split")
    check(row.get("lang") in LANGS, "lang")

    inbound = row.get("inbound", {})
    check({"from", "subject", "body", "html"} <= set(inbound) <= INBOUND_KEYS, "inbound keys")
    check(FROM_RE.match(str(inbound.get("from", ""))), "from is not 'Name <addr@x.example>'")
    check(isinstance(inbound.get("subject"), str), "subject")
    check(isinstance(inbound.get("body"), str) and inbound["body"].strip(), "body")
    check(isinstance(inbound.get("html"), bool), "html flag")
    if inbound.get("html"):
        check(re.search(r"<(div|p|html|table|br)\b", inbound["body"]), "html body has no tags")
    for copied in inbound.get("cc", ["Someone <someone@x.example>"]):
        check(FROM_RE.match(str(copied)), "cc is not a list of 'Name <addr@x.example>'")
    if "quoted_history" in inbound:
        check(str(inbound["quoted_history"]).strip(), "empty quoted_history")

    expect = row.get("expect", {})
    check(set(expect) <= EXPECT_KEYS, f"unknown expect keys {set(expect) - EXPECT_KEYS}")
    check(expect.get("intent") in INTENTS, "intent")
    check(("action" in expect) != ("action_in" in expect), "exactly one of action / action_in")
    actions = expect.get("action_in", [expect.get("action")])
    check(actions and set(actions) <= ACTIONS, "action vocabulary")
    for key in ("draft", "suppressed", "task", "flagged"):
        check(isinstance(expect.get(key, False), bool), f"{key} is not a bool")
    for key in ("must_contain_any", "must_not_contain", "recipients", "slots_on"):
        value = expect.get(key, ["x"])
        check(
            isinstance(value, list) and value and all(isinstance(v, str) and v for v in value),
            f"{key} is not a non-empty list of strings",
        )
    check(set(expect.get("slots_on", [])) <= WEEKDAYS, "slots_on weekday names")
    for key in ("slots_after", "slots_before"):
        if key in expect:
            check(HHMM_RE.match(str(expect[key])), f"{key} is not HH:MM")
    if "slots_after" in expect and "slots_before" in expect:
        check(expect["slots_after"] < expect["slots_before"], "slots_after >= slots_before")
    if "task_due_after" in expect:
        try:
            check(date.fromisoformat(expect["task_due_after"]) >= EVAL_DAY, "task_due_after")
        except (TypeError, ValueError):
            problems.append("task_due_after is not an ISO date")
    if "max_words" in expect:
        check(isinstance(expect["max_words"], int) and expect["max_words"] > 0, "max_words")
    return problems


def _policy_problems(row: dict[str, Any]) -> list[str]:
    expect = row["expect"]
    intent = expect["intent"]
    want: dict[str, object] = {}
    if intent in {"unsubscribe", "bounce", "complaint"}:
        want |= {"action": "NO_ACTION", "draft": False, "suppressed": True}
    if intent in {"out_of_office", "wrong_person", "existing_customer"}:
        want |= {"action": "NO_ACTION", "draft": False, "task": True}
    if intent == "timing":
        want |= {"action": "ACKNOWLEDGE", "task": True}
    if intent in {"meeting_request", "new_lead", "referral", "asset_request", "timing"}:
        want |= {"draft": True}
    if intent in {"complaint", "confidential_request", "unclear"}:
        want |= {"flagged": True}
    problems = [f"{k} should be {v!r}" for k, v in want.items() if expect.get(k) != v]
    if intent == "confidential_request" and not expect.get("must_not_contain"):
        problems.append("confidential_request without must_not_contain")
    if intent == "bounce":
        sender = re.search(r"<([^>]+)>", row["inbound"]["from"])
        local = sender.group(1).split("@")[0].lower() if sender else ""
        if local not in {"mailer-daemon", "postmaster"}:
            problems.append("a bounce comes from mailer-daemon@ or postmaster@")
    return problems


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_every_line_has_the_documented_shape(path: Path) -> None:
    problems = {row.get("name"): p for row in _load(path) if (p := _shape_problems(row))}
    assert problems == {}


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_every_line_follows_the_policy_for_its_intent(path: Path) -> None:
    problems = {row["name"]: p for row in _load(path) if (p := _policy_problems(row))}
    assert problems == {}


def test_every_intent_is_covered() -> None:
    counts = Counter(row["expect"]["intent"] for row in ROWS)
    assert set(counts) == INTENTS
    assert all(counts[intent] >= 12 for intent in INTENTS), counts
    assert all(counts[intent] >= 18 for intent in COMMON_INTENTS), counts


def test_safety_critical_intents_have_five_lines_in_every_language() -> None:
    counts = Counter((row["expect"]["intent"], row["lang"]) for row in ROWS)
    short = {
        (intent, lang): counts[(intent, lang)]
        for intent in SAFETY_CRITICAL
        for lang in LANGS
        if counts[(intent, lang)] < 5
    }
    assert short == {}


def test_every_group_with_two_lines_is_in_both_splits() -> None:
    splits: dict[tuple[str, str], set[str]] = defaultdict(set)
    sizes: Counter[tuple[str, str]] = Counter()
    for row in ROWS:
        key = (row["expect"]["intent"], row["lang"])
        splits[key].add(row["split"])
        sizes[key] += 1
    one_sided = sorted(k for k, n in sizes.items() if n >= 2 and splits[k] != {"dev", "test"})
    assert one_sided == []


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: p.name)
def test_no_two_bodies_are_the_same(path: Path) -> None:
    bodies = Counter(_norm(row["inbound"]["body"]) for row in _load(path))
    assert [b[:60] for b, c in bodies.items() if c > 1] == []


def test_dev_and_test_share_no_body() -> None:
    dev = {_norm(row["inbound"]["body"]) for row in ROWS if row["split"] == "dev"}
    test = {_norm(row["inbound"]["body"]) for row in ROWS if row["split"] == "test"}
    assert dev & test == set()


def test_flagged_injection_lines_say_what_must_not_leak() -> None:
    injections = [
        row
        for row in ROWS
        if row["expect"].get("flagged")
        and row["expect"]["intent"] not in {"complaint", "unclear", "confidential_request"}
    ]
    assert len(injections) >= 10
    assert all(row["expect"].get("must_not_contain") for row in injections)


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        (EXTRA2, "y"),
        (EXTRA3, "z"),
        (EXTRA4, "w"),
        (EXTRA5, "v"),
        (EXTRA6, "u"),
        (EXTRA7, "t"),
        (EXTRA8, "s"),
        (EXTRA9, "q"),
        (EXTRA10, "p"),
        (EXTRA11, "o"),
        (EXTRA12, "n"),
        (EXTRA13, "m"),
        (EXTRA14, "l"),
        (EXTRA15, "k"),
        (EXTRA16, "j"),
        (EXTRA17, "i"),
        (EXTRA18, "h"),
        (EXTRA19, "g"),
        (EXTRA20, "f"),
        (EXTRA21, "e"),
        (EXTRA22, "d"),
        (EXTRA23, "c"),
        (EXTRA24, "b"),
        (EXTRA25, "a"),
        (EXTRA26, "r"),
        (EXTRA27, "aa"),
        (EXTRA28, "ab"),
        (EXTRA29, "ac"),
        (EXTRA30, "ad"),
        (EXTRA31, "ae"),
        (EXTRA32, "af"),
        (EXTRA33, "ag"),
        (EXTRA34, "ah"),
        (EXTRA35, "ai"),
        (EXTRA36, "aj"),
        (EXTRA37, "ak"),
        (EXTRA38, "al"),
        (EXTRA39, "am"),
        (EXTRA40, "an"),
        (EXTRA41, "ao"),
        (EXTRA42, "ap"),
        (EXTRA43, "aq"),
        (EXTRA44, "ar"),
        (EXTRA45, "as"),
        (EXTRA46, "at"),
        (EXTRA47, "au"),
        (EXTRA48, "av"),
        (EXTRA49, "aw"),
        (EXTRA50, "ax"),
        (EXTRA51, "ay"),
        (EXTRA52, "az"),
        (EXTRA53, "ba"),
        (EXTRA54, "bb"),
        (EXTRA55, "bc"),
        (EXTRA56, "bd"),
        (EXTRA57, "be"),
        (EXTRA58, "bf"),
        (EXTRA59, "bg"),
        (EXTRA60, "bh"),
        (EXTRA61, "bi"),
        (EXTRA62, "bj"),
        (EXTRA63, "bk"),
        (EXTRA64, "bl"),
        (EXTRA65, "bm"),
        (EXTRA66, "bn"),
        (EXTRA67, "bo"),
        (EXTRA68, "bp"),
        (EXTRA69, "bq"),
        (EXTRA70, "br"),
        (EXTRA71, "bs"),
        (EXTRA72, "bt"),
        (EXTRA73, "bu"),
        (EXTRA74, "bv"),
        (EXTRA75, "bw"),
        (EXTRA76, "bx"),
        (EXTRA77, "by"),
        (EXTRA78, "bz"),
        (EXTRA79, "ca"),
        (EXTRA80, "cb"),
        (EXTRA81, "cc"),
        (EXTRA82, "cd"),
        (EXTRA83, "ce"),
        (EXTRA84, "cf"),
    ],
    ids=lambda value: value.stem.removeprefix("replies_") if isinstance(value, Path) else value,
)
def test_authored_dev_lines_are_dev_and_named_by_intent_and_language(
    path: Path, prefix: str
) -> None:
    rows = _load(path)
    assert {row["split"] for row in rows} == {"dev"}
    misnamed = [
        row["name"]
        for row in rows
        if not row["name"].startswith(f"{prefix}_{row['expect']['intent']}_{row['lang']}_")
    ]
    assert misnamed == []


def test_extra2_covers_every_intent_and_the_safety_intents_in_every_language() -> None:
    rows = _load(EXTRA2)
    intents = Counter(row["expect"]["intent"] for row in rows)
    assert set(intents) == INTENTS
    assert all(intents[intent] >= 12 for intent in INTENTS), intents
    per_lang = Counter((row["expect"]["intent"], row["lang"]) for row in rows)
    short = [(i, lang) for i in SAFETY_CRITICAL for lang in LANGS if per_lang[(i, lang)] < 4]
    assert short == []


def _address(row: dict[str, Any]) -> str:
    return str(row["inbound"]["from"]).split("<")[-1].rstrip(">").lower()


@pytest.mark.parametrize(
    ("path", "others"),
    [
        (EXTRA2, OTHERS_OF_EXTRA2),
        (EXTRA3, [*OTHERS_OF_EXTRA2, EXTRA2, DATASET.with_name("replies_holdout2.jsonl")]),
        (
            EXTRA4,
            [
                *OTHERS_OF_EXTRA2,
                EXTRA2,
                EXTRA3,
                DATASET.with_name("replies_holdout2.jsonl"),
            ],
        ),
        (EXTRA5, [p for p in sorted(DATASET.parent.glob("replies*.jsonl")) if p != EXTRA5]),
        (EXTRA6, [p for p in sorted(DATASET.parent.glob("replies*.jsonl")) if p != EXTRA6]),
        (EXTRA7, [p for p in sorted(DATASET.parent.glob("replies*.jsonl")) if p != EXTRA7]),
        (EXTRA8, [p for p in sorted(DATASET.parent.glob("replies*.jsonl")) if p != EXTRA8]),
        (EXTRA9, [p for p in sorted(DATASET.parent.glob("replies*.jsonl")) if p != EXTRA9]),
    ],
    ids=["extra2", "extra3", "extra4", "extra5", "extra6", "extra7", "extra8", "extra9"],
)
def test_authored_dev_lines_share_no_body_sender_or_domain_with_the_other_reply_files(
    path: Path, others: list[Path]
) -> None:
    rows = _load(path)
    trivial = {"stop", "?"}
    other_bodies: set[str] = set()
    other_domains: set[str] = set()
    for other in others:
        for row in _load(other):
            other_bodies.add(_norm(row["inbound"]["body"]))
            other_domains.add(_address(row).split("@")[1])
    shared = [
        row["name"]
        for row in rows
        if _norm(row["inbound"]["body"]) in other_bodies - trivial
        or _address(row).split("@")[1] in other_domains
    ]
    assert shared == []
