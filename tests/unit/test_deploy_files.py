"""The deployment files: docker-compose.yml valid against the Compose specification, and the
services, image and Dockerfile wired as docs/DEPLOYMENT.md describes.

No container engine runs here, so the compose file is checked against the Compose
specification's JSON schema (the copy `check-jsonschema` ships, run as its CLI) and then
read for what the schema cannot say: which command each service runs and what it waits for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_compose_file_is_valid_against_the_compose_specification() -> None:
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_schema_check_would_catch_a_broken_file(tmp_path: Path) -> None:
    broken = compose()
    broken["services"]["api"]["depends_on"]["migrate"]["condition"] = "whenever"
    path = tmp_path / "docker-compose.yml"
    path.write_text(yaml.safe_dump(broken))
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 1


def test_services_run_the_right_commands_and_wait_on_health() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", "api", "worker"}
    postgres = services["postgres"]
    assert postgres["image"].startswith("pgvector/pgvector:pg16")
    assert postgres["volumes"] and "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert services["migrate"]["command"] == ["db", "upgrade"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["api"]["command"] == ["serve", "--no-worker"]
    assert services["api"]["ports"] == ["${SALES_AGENT_PUBLISHED_PORT:-8000}:8000"]
    assert "/health" in " ".join(services["api"]["healthcheck"]["test"])
    assert services["worker"]["command"][0] == "worker"
    assert "ports" not in services["worker"] and "container_name" not in services["worker"]
    for name in ("api", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
        assert services[name]["env_file"][0]["path"] == ".env"
        assert "@postgres:5432/" in services[name]["environment"]["DATABASE_URL"]


def test_dockerfile_is_multi_stage_pinned_non_root_with_a_healthcheck() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and all("-slim" in stage for stage in stages)
    text = "\n".join(lines)
    assert "--constraint constraints.txt" in text and "pip wheel --no-deps" in text
    assert "COPY --from=build /opt/sales-agent /opt/sales-agent" in text
    users = [line for line in lines if line.startswith("USER ")]
    assert users == ["USER sales-agent"]
    assert text.index("USER sales-agent") > text.index(
        "FROM python:${PYTHON_VERSION}-slim AS runtime"
    )
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert 'ENTRYPOINT ["sales-agent"]' in lines and 'CMD ["serve", "--no-worker"]' in lines
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignored[1:5] == ["*", "!pyproject.toml", "!constraints.txt", "!README.md"]
