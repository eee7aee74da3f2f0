"""Story campaigns through `/api/stories` on a live server and `sales-agent story` commands."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator

import httpx
import pytest

from live_server import live_server, operator_key
from sales_agent.policy.flags import set_flag
from sales_agent.services import Services

pytestmark = pytest.mark.slow

RunCli = Callable[..., subprocess.CompletedProcess[str]]

CASE_STUDY = "1IHPLjxQ3kBScMCX9E64eGS4SHo4xXQ4B"  # Manifest 2026 (allowlisted)
CLOSED_DEALS = "1L94O7RQXYuHRSf-A2aaPz2hLr2MANMNf"  # CP Closed 2024 (excluded)
STORY = {
    "name": "Waste down a third",
    "theme": "food waste",
    "target_persona": "buyer",
    "target_industry": "Logistics",
    "key_message": "We cut a food maker's waste by a third in twelve weeks.",
    "cta": "Worth a short call to see if the same applies?",
    "cta_kind": "call",
    "asset_ids": [CASE_STUDY],
}


def flag(services: Services, *, on: bool) -> None:
    with services.pool.connection() as conn:
        set_flag(conn, name="STORY_PITCH_ENABLED", enabled=on, actor="tests", reason="tests")


@pytest.fixture(scope="module")
def api(services: Services, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    key = operator_key(services)
    with (
        live_server(services, tmp_path_factory.mktemp("stories-api")) as url,
        httpx.Client(base_url=url, headers={"x-api-key": key}, timeout=60) as client,
    ):
        yield client


def test_every_route_says_how_to_turn_stories_on_while_the_flag_is_off(
    api: httpx.Client, services: Services
) -> None:
    flag(services, on=False)
    for response in (
        api.get("/api/stories"),
        api.post("/api/stories", json=STORY),
        api.get("/api/stories/00000000-0000-0000-0000-000000000000"),
        api.patch("/api/stories/00000000-0000-0000-0000-000000000000", json={"active": False}),
        api.get("/api/stories/00000000-0000-0000-0000-000000000000/pitches"),
        api.post(
            "/api/stories/00000000-0000-0000-0000-000000000000/decisions",
            json={"execution_id": "story:x", "default": "approve"},
        ),
    ):
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "story_pitch_disabled"
        assert "admin flags set STORY_PITCH_ENABLED --enabled" in response.json()["message"]


def test_create_list_show_patch_and_archive(api: httpx.Client, services: Services) -> None:
    flag(services, on=True)
    created = api.post("/api/stories", json=STORY)
    assert created.status_code == 201, created.text
    story = created.json()
    assert {k: story[k] for k in STORY} == STORY
    assert story["active"] is True and story["created_by"] == "tests"

    assert story["id"] in [s["id"] for s in api.get("/api/stories").json()]
    assert api.get(f"/api/stories/{story['id']}").json() == story

    patched = api.patch(f"/api/stories/{story['id']}", json={"cta": "Shall I send it over?"})
    assert patched.json()["cta"] == "Shall I send it over?"
    assert patched.json()["key_message"] == STORY["key_message"]

    archived = api.patch(f"/api/stories/{story['id']}", json={"active": False}).json()
    assert archived["active"] is False
    assert story["id"] not in [s["id"] for s in api.get("/api/stories").json()]
    listed = api.get("/api/stories", params={"archived": "true"}).json()
    assert story["id"] in [s["id"] for s in listed]
    with services.pool.connection() as conn:
        actions = [
            row["action"]
            for row in conn.execute(
                "SELECT action FROM audit_log WHERE metadata->>'story_id' = %s ORDER BY id",
                (story["id"],),
            )
        ]
    assert actions == ["story_created", "story_updated", "story_archived"]


def test_refusals_name_the_problem(api: httpx.Client, services: Services) -> None:
    flag(services, on=True)
    outside = api.post("/api/stories", json={**STORY, "asset_ids": [CLOSED_DEALS]})
    assert outside.status_code == 422 and outside.json()["code"] == "drive_not_allowed"
    assert api.get("/api/stories/not-a-uuid").status_code == 404
    missing = api.get("/api/stories/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["code"] == "story_not_found"
    assert api.post("/api/stories", json={**STORY, "target_persona": "ceo"}).status_code == 422
    nothing = api.patch("/api/stories/00000000-0000-0000-0000-000000000000", json={})
    assert nothing.status_code == 422 and nothing.json()["code"] == "nothing_to_change"


def test_the_story_commands(cli: RunCli, services: Services) -> None:
    flag(services, on=False)
    off = cli("story", "list")
    assert off.returncode == 2 and "admin flags set STORY_PITCH_ENABLED" in off.stderr
    flag(services, on=True)
    made = cli(
        "story", "create", "--name", "CLI story", "--key-message", STORY["key_message"],
        "--cta", STORY["cta"], "--persona", "financial", "--asset", CASE_STUDY, "--json",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    story = json.loads(made.stdout)
    assert story["target_persona"] == "financial" and story["asset_ids"] == [CASE_STUDY]
    listed = json.loads(cli("story", "list", "--json").stdout)
    assert story["id"] in [s["id"] for s in listed]
    shown = json.loads(cli("story", "show", story["id"], "--json").stdout)
    assert shown == story
    archived = json.loads(cli("story", "archive", story["id"], "--json").stdout)
    assert archived["active"] is False
    gone = cli("story", "show", "00000000-0000-0000-0000-000000000000")
    assert gone.returncode == 2 and "story list" in gone.stderr


def test_story_pitch_dry_run_then_create_then_rerun(cli: RunCli, services: Services) -> None:
    flag(services, on=True)
    made = cli(
        "story", "create", "--name", "Pitch CLI", "--key-message", STORY["key_message"],
        "--cta", "Would a short call next week be useful?", "--json",
    )  # fmt: skip
    story_id = json.loads(made.stdout)["id"]

    bad = cli("story", "pitch", story_id, "--segment", "colour=red")
    assert bad.returncode == 2 and "unknown segment filter 'colour'" in bad.stderr

    shown = cli("story", "pitch", story_id, "--segment", "persona=buyer|influencer", "--limit", "4")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("Subject:") == 3 and "skipped_out_of_segment" in shown.stdout

    dry = json.loads(
        cli("story", "pitch", story_id, "--segment", "all", "--limit", "3", "--json").stdout
    )
    assert dry["dry_run"] and dry["outcome"] == "dry_run" and not dry["awaiting_approval"]
    assert len(dry["pitches"]) == 3 and dry["stats"]["created"] == 3
    with services.pool.connection() as conn:
        count = "SELECT count(*) AS n FROM story_pitches WHERE story_id = %s"
        assert conn.execute(count, (story_id,)).fetchone() == {"n": 0}

    args = ("story", "pitch", story_id, "--segment", "all", "--limit", "2", "--create", "--json")
    created = json.loads(cli(*args).stdout)
    assert created["awaiting_approval"] and len(created["pitches"]) == 2
    assert {p["status"] for p in created["pitches"]} == {"pending_approval"}
    rerun = json.loads(cli(*args).stdout)
    assert rerun["execution_id"] == created["execution_id"]
    with services.pool.connection() as conn:
        assert conn.execute(count, (story_id,)).fetchone() == {"n": 2}
