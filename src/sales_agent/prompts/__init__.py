"""Prompts as files: one markdown file per role, with named `{placeholders}`.

Kept out of the nodes so a prompt can be read and reviewed as text; `load_prompt` reads the
packaged file once.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["load_prompt"]


@cache
def load_prompt(name: str) -> str:
    """The text of `prompts/<name>.md`; a `ValueError` naming the known prompts otherwise."""
    folder = files(__package__ or "sales_agent.prompts")
    resource = folder / f"{name}.md"
    if not resource.is_file():
        known = sorted(
            p.name.removesuffix(".md") for p in folder.iterdir() if p.name.endswith(".md")
        )
        raise ValueError(f"no prompt named {name!r}; the packaged prompts are {', '.join(known)}")
    return resource.read_text(encoding="utf-8")
