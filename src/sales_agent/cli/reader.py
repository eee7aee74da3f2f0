"""`sales-agent reader`: the offline reader's classifier, rebuilt from the labelled replies."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from sales_agent.nodes.offline.intent_model import TRAINING_FILE, build_training_file

__all__ = ["reader_app"]

reader_app = typer.Typer(no_args_is_help=True, help="The offline reader's training data.")
console = Console()

_PACKAGED = Path(str(files("sales_agent.nodes.offline") / TRAINING_FILE))


@reader_app.command("build")
def build(
    dataset: Annotated[Path, typer.Option(help="Labelled replies (JSON lines).")] = Path(
        "evals/datasets/replies.jsonl"
    ),
    output: Annotated[Path, typer.Option(help="Where the training file goes.")] = _PACKAGED,
) -> None:
    """Copy the `dev` split of DATASET into the reader's training file (never `test`)."""
    count = build_training_file(dataset, output)
    console.print(f"{count} dev examples written to {output}")
