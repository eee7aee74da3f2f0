"""Write the packaged sandbox data: `python -m scripts.workspace` from the repository root."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.workspace import calendar, drive, gmail, hubspot
from scripts.workspace.cast import CAST, Cast

DATA = Path(__file__).parents[2] / "src" / "sales_agent" / "sandbox" / "data"


def _operator(cast: Cast) -> dict[str, Any]:
    return {
        "name": cast.operator.name,
        "email": cast.operator.email,
        "time_zone": cast.operator.time_zone,
        "company": cast.operator.company,
    }


# Each service's generator: add yours here as `"<section>": module.generate`.
GENERATORS: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "operator": _operator,
    "hubspot": hubspot.generate,
    "calendar": calendar.generate,
    "drive": drive.generate,
    "gmail": gmail.generate,
}


def main() -> None:
    """Regenerate every section that has a generator."""
    for section, generate in GENERATORS.items():
        path = DATA / f"{section}.json"
        text = json.dumps(generate(CAST), indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(DATA.parents[3])}")  # noqa: T201


if __name__ == "__main__":
    main()
