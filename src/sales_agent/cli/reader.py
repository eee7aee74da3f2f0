"""`sales-agent reader`: the offline reader's classifier, rebuilt and scored."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from sales_agent.nodes.offline.labelled import Split, labelled_replies

if TYPE_CHECKING:
    from sales_agent.evals.reader_score import ReaderScore

# The classifier's modules (scikit-learn) are imported by the commands that use them: every
# other `sales-agent` command, `serve` among them, starts without paying for them.

__all__ = ["reader_app"]

reader_app = typer.Typer(no_args_is_help=True, help="The offline reader's training data and score.")
console = Console()

_DATASETS_DIR = Path("evals/datasets")
# The main corpus and every extra (all-dev) file; the holdouts are test only, never trained on.
_DATASETS = [_DATASETS_DIR / "replies.jsonl", *sorted(_DATASETS_DIR.glob("replies_extra*.jsonl"))]
DatasetsOption = Annotated[
    list[Path] | None,
    typer.Option("--dataset", help="Labelled replies (JSON lines); repeat for several."),
]


def _datasets(given: list[Path] | None) -> list[Path]:
    chosen = given or [path for path in _DATASETS if path.exists()]
    if missing := [str(path) for path in chosen if not path.exists()]:
        raise typer.BadParameter(f"no such dataset: {', '.join(missing)}", param_hint="--dataset")
    return chosen


@reader_app.command("build")
def build(
    dataset: DatasetsOption = None,
    output: Annotated[
        Path | None,
        typer.Option(help="Where the training file goes (default: the package's own)."),
    ] = None,
) -> None:
    """Copy the `dev` lines to the training file (never `test`); fit; pack the weights beside it."""
    from sales_agent.nodes.offline.intent_model import (
        MODEL_FILE,
        TRAINING_FILE,
        build_model_file,
        build_training_file,
    )

    output = output or Path(str(files("sales_agent.nodes.offline") / TRAINING_FILE))
    count = build_training_file(_datasets(dataset), output)
    console.print(f"{count} dev examples written to {output}")
    weights = output.with_name(MODEL_FILE)
    build_model_file(output, weights)
    console.print(f"classifier fitted; weights written to {weights}")


@reader_app.command("score")
def score(
    dataset: DatasetsOption = None,
    split: Annotated[str, typer.Option(help="dev (cross-validated) or test.")] = "dev",
    folds: Annotated[int, typer.Option(min=2, help="Folds for dev.")] = 5,
) -> None:
    """The reader's intent accuracy, recall and precision per intent (no graph, no database).

    `dev` is cross-validated (each line read by a classifier that never saw it); `test` is read
    by the packaged classifier and shown in aggregate only.
    """
    from sales_agent.evals.reader_score import cross_validated, score_reader

    if split not in ("dev", "test"):
        raise typer.BadParameter("dev or test", param_hint="--split")
    chosen: Split = "dev" if split == "dev" else "test"
    replies = labelled_replies(_datasets(dataset), split=chosen)
    if not replies:
        raise typer.BadParameter(f"no labelled inbound lines in the {split} split")
    result = cross_validated(replies, folds=folds) if chosen == "dev" else score_reader(replies)
    _print(result, show_confusions=chosen == "dev")


def _print(result: ReaderScore, *, show_confusions: bool) -> None:
    table = Table("intent", "lines", "recall", "precision")
    for row in result.intents:
        table.add_row(row.intent, str(row.support), f"{row.recall:.2f}", f"{row.precision:.2f}")
    console.print(table)
    console.print(f"intent accuracy {result.accuracy:.3f} over {result.lines} lines")
    if show_confusions:
        for labelled, read, count in result.confusions[:15]:
            console.print(f"  {labelled} read as {read}: {count}")
