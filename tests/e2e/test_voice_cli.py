"""`sales-agent voice` as an operator runs it: no credentials, the sandbox started in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def learned(cli: Any, workdir: Path) -> Path:
    output = workdir / "profile.json"
    result = cli("voice", "learn", "--limit", "200", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "voice profile v1" in result.stdout and "held-out coverage" in result.stdout
    return output


def test_learn_writes_a_valid_profile(cli: Any, learned: Path) -> None:
    profile = json.loads(learned.read_text())
    assert profile["version"] == 1 and profile["greeting"] == "Hi {first_name},"
    assert profile["metrics"]["train_emails"] + profile["metrics"]["held_out_emails"] == 200

    result = cli("voice", "validate", str(learned), "--json")
    assert result.returncode == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ok"] and report["pii"] == [] and report["schema_errors"] == []
    assert report["metrics"]["coverage"] > 0.9
    assert report["pattern_confidence"]["high"] > 0


def test_the_export_carries_the_spec_keys_at_the_top_level(cli: Any, learned: Path) -> None:
    profile = json.loads(learned.read_text())
    spec_keys = [
        "name", "phrasing_patterns", "tone", "common_ctas", "do_dont_rules", "forbidden_words",
        "avg_words", "signature_style", "learned_at", "version",
    ]  # fmt: skip
    assert list(profile)[: len(spec_keys)] == spec_keys
    first = profile["phrasing_patterns"][0]
    assert set(first) == {"phrase", "frequency", "percentile"}
    learned_first = profile["learned"]["patterns"][0]
    assert (first["phrase"], first["frequency"]) == (learned_first["text"], learned_first["count"])
    assert (
        len(profile["phrasing_patterns"][0:3]) == 3
    )  # the spec's `jq '.phrasing_patterns | .[0:3]'`
    rule = profile["do_dont_rules"][0]
    assert set(rule) == {"type", "rule"} and rule["type"] in ("do", "dont")
    assert profile["name"] == "Dana" and profile["tone"] == profile["learned"]["tone"]["label"]
    assert profile["common_ctas"] and profile["avg_words"] > 0
    assert profile["signature_style"]["name_line"] in ("first_name", "full_name", "none")
    assert profile["learned_at"] is not None and profile["version"] == 1


def test_validate_fails_on_pii_and_on_schema_errors(cli: Any, learned: Path, workdir: Path) -> None:
    profile = json.loads(learned.read_text())
    leaky = workdir / "leaky.json"
    leaky.write_text(json.dumps({**profile, "value_lines": ["Call Priya on +44 20 7946 0321."]}))
    result = cli("voice", "validate", str(leaky), "--json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)["pii"]
    assert finding["path"] == "value_lines[0]" and "[PHONE]" in finding["kinds"]

    broken = workdir / "broken.json"
    broken.write_text(json.dumps({**profile, "version": 0}))
    result = cli("voice", "validate", str(broken))
    assert result.returncode == 1 and "schema" in result.stdout


def test_show_and_stats_read_the_stored_version(cli: Any, learned: Path) -> None:
    shown = json.loads(cli("voice", "show", "--json").stdout)
    assert shown == json.loads(learned.read_text())

    stats = cli("voice", "stats", "--json")
    [version] = json.loads(stats.stdout)
    assert version["version"] == 1 and version["metrics"]["coverage"] > 0.9
    table = cli("voice", "stats").stdout
    assert "coverage" in table and "%" in table


def test_refresh_without_feedback_keeps_the_version(cli: Any, learned: Path) -> None:
    result = cli("voice", "refresh")
    assert result.returncode == 0 and "voice profile v1" in result.stdout


# Sandbox Drive: "Manifest 2026 - How we work" (allowlisted "Manifest 2026" folder: a title
# and two prose paragraphs) and a note in "Team Social", which no allowed prefix admits.
MANIFEST_DOC = "1-C0R0sRRLE9tMr9Nm_UrP-129r0OS7od"
NOT_ALLOWED_DOC = "1ASGWLUFSARpp0j4BnYc-U9TyxhKCRAWC"


def test_drive_doc_outside_the_allowlist_is_a_one_line_error(cli: Any, learned: Path) -> None:
    result = cli("voice", "learn", "--limit", "20", "--drive-doc", NOT_ALLOWED_DOC)
    assert result.returncode == 2
    # stderr may also carry import-time warnings of third-party packages: find our line.
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error.startswith(f"error: drive: file {NOT_ALLOWED_DOC} is not in an allowlisted")
    assert "Traceback" not in result.stderr
    [version] = json.loads(cli("voice", "stats", "--json").stdout)
    assert version["version"] == 1, "nothing may be stored when a document is refused"


# Last in the module: it stores a second version, which the tests above do not expect.
def test_drive_doc_paragraphs_are_extra_training_samples(
    cli: Any, learned: Path, workdir: Path
) -> None:
    output = workdir / "with-doc.json"
    args = ["--limit", "50", "--output", str(output)]
    result = cli("voice", "learn", *args, "--drive-doc", MANIFEST_DOC, "--drive-doc", MANIFEST_DOC)
    assert result.returncode == 0, result.stderr
    assert "voice profile v2" in result.stdout and "2 Drive paragraphs" in result.stdout
    profile = json.loads(output.read_text())
    # The two paragraphs train (a repeated id counts once); the held-out set is mail only.
    assert profile["learned"]["emails"] == profile["metrics"]["train_emails"] + 2
    assert profile["metrics"]["train_emails"] + profile["metrics"]["held_out_emails"] == 50
