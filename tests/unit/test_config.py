import os
import subprocess
import sys
from pathlib import Path

import pytest

from sales_agent.config import Mode, load_settings
from sales_agent.errors import ConfigError

CLI = [sys.executable, "-m", "sales_agent"]


def test_defaults_are_safe_and_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SALES_AGENT_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    settings = load_settings(_env_file=None)
    assert settings.database_url is None
    assert settings.model == "offline"
    assert settings.needs_sandbox
    assert Mode.DRAFT_ONLY.value == "DRAFT_ONLY"


def test_explicit_value_beats_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALES_AGENT_PORT", "9000")
    assert load_settings(_env_file=None).port == 9000
    assert load_settings(port=9100, _env_file=None).port == 9100


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("SALES_AGENT_TIMEZONE=America/New_York\n")
    assert load_settings(_env_file=env).timezone == "America/New_York"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "SALES_AGENT_TIMEZONE",
            "Mars/Olympus",
            "SALES_AGENT_TIMEZONE: 'Mars/Olympus' is not a known",
        ),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL: must start with postgresql://"),
        ("SALES_AGENT_PORT", "eighty", "SALES_AGENT_PORT: Input should be a valid integer"),
        ("SALES_AGENT_WORKING_HOURS_END", "8", "working_hours_end must be after"),
        ("SALES_AGENT_GOOGLE_CLIENT_ID", "abc", "google credentials are partial"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message


def test_cli_reports_bad_config_in_one_line_without_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "SALES_AGENT_TIMEZONE": "Nowhere/Land"}
    result = subprocess.run(
        [*CLI, "db", "url"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: SALES_AGENT_TIMEZONE: 'Nowhere/Land' is not a known IANA time zone"
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_env_example_documents_every_setting() -> None:
    from sales_agent.config import Settings, _env_name

    example = (Path(__file__).parents[2] / ".env.example").read_text(encoding="utf-8")
    missing = [_env_name(name) for name in Settings.model_fields if _env_name(name) not in example]
    assert missing == []
