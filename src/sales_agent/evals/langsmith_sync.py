"""Upload a run to LangSmith through the `langsmith` SDK, when LANGSMITH_API_KEY is set.

Each dataset file becomes a LangSmith dataset `sales-agent/<file stem>`, created once; its
examples carry ids derived from their content, so an unchanged line is never uploaded twice
and a changed one is a new example (a new dataset version). The run becomes one experiment
per dataset with a run per case, linked to its example, and one feedback entry per evaluator
(score 1 pass, 0 fail, none with value "n/a" when the check did not apply).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from langsmith import Client

from sales_agent.evals.dataset import Case, load_cases
from sales_agent.evals.runner import EvalRun, ScoredCase

__all__ = ["DATASET_PREFIX", "example_id", "langsmith_problem", "upload_run"]

DATASET_PREFIX = "sales-agent/"
_NAMESPACE = uuid.UUID("6f1b8a51-0d0e-4b7c-9a51-3f3b1d2c5e77")


def langsmith_problem() -> str | None:
    """What is missing for an upload, or None when it can go ahead."""
    if not os.environ.get("LANGSMITH_API_KEY"):
        return (
            "--langsmith needs LANGSMITH_API_KEY (and LANGSMITH_ENDPOINT for a self-hosted "
            "LangSmith): set it, or run without --langsmith"
        )
    return None


def example_id(dataset: str, case: Case) -> uuid.UUID:
    """The example's id: the same for the same line content, new when the line changes."""
    content = case.model_dump_json(exclude={"notes"})
    return uuid.uuid5(_NAMESPACE, f"{dataset}\n{content}")


def _example(dataset_id: Any, dataset: str, case: Case) -> dict[str, Any]:
    return {
        "id": str(example_id(dataset, case)),
        "dataset_id": str(dataset_id),
        "inputs": case.model_dump(mode="json", include={"name", "input", "inbound", "now"}),
        "reference_outputs": case.expect.model_dump(mode="json", exclude_none=True),
        "metadata": {"split": case.split, "lang": case.lang, "name": case.name},
        "split": case.split or "base",
    }


def _sync_dataset(client: Client, path: Path) -> tuple[Any, dict[str, uuid.UUID]]:
    """The dataset for `path` (created once) with every current line as an example."""
    name = DATASET_PREFIX + path.stem
    cases = load_cases(path)
    if client.has_dataset(dataset_name=name):
        dataset = client.read_dataset(dataset_name=name)
    else:
        dataset = client.create_dataset(
            name, description=f"sales-agent eval dataset {path.name}", metadata={"file": path.name}
        )
    present = {str(e.id) for e in client.list_examples(dataset_id=dataset.id)}
    ids = {case.name: example_id(path.stem, case) for case in cases}
    missing = [_example(dataset.id, path.stem, c) for c in cases if str(ids[c.name]) not in present]
    if missing:
        client.create_examples(dataset_id=dataset.id, examples=missing)
    return dataset, ids


def _outputs(case: ScoredCase) -> dict[str, Any]:
    outputs = case.trace.outputs
    draft = outputs.draft
    return {
        "intent": outputs.intent,
        "action": outputs.action,
        "outcome": outputs.outcome,
        "draft": draft.model_dump(mode="json") if draft else None,
        "slots": [slot.start.isoformat() for slot in outputs.slots],
        "suppressed": outputs.suppressed,
        "node_path": case.trace.node_path,
        "error": case.trace.error,
    }


def _upload_cases(
    client: Client,
    experiment: tuple[str, Any],
    ids: dict[str, uuid.UUID],
    cases: Sequence[ScoredCase],
) -> None:
    name, project_id = experiment
    for case in cases:
        run_id = uuid.uuid4()
        start = case.trace.run.started_at or case.trace.now
        client.create_run(
            name="followup",
            run_type="chain",
            inputs={"case": case.trace.case, **case.trace.input},
            outputs=_outputs(case),
            project_name=name,
            id=run_id,
            reference_example_id=ids.get(case.trace.case),
            start_time=start,
            end_time=start + timedelta(milliseconds=case.trace.total_ms),
            error=case.trace.error,
            extra={"metadata": {"trace": case.location}},
        )
        for verdict in case.verdicts:
            score = {"pass": 1.0, "fail": 0.0}.get(verdict.status)
            client.create_feedback(
                run_id,
                key=verdict.name,
                score=score,
                value="n/a" if score is None else verdict.status,
                comment=verdict.reason,
                session_id=project_id,
            )


def upload_run(result: EvalRun, datasets: Sequence[Path], client: Client | None = None) -> str:
    """Upload the datasets and the run's experiments; the experiments' names."""
    client = client or Client(auto_batch_tracing=False)
    names = []
    for path in datasets:
        cases = [c for c in result.cases if c.trace.run.dataset == path.stem]
        if not cases:
            continue
        dataset, ids = _sync_dataset(client, path)
        info = cases[0].trace.run
        stamp = f"{info.started_at:%Y%m%dT%H%M%SZ}" if info.started_at else "run"
        experiment = f"{path.stem}-{stamp}-{info.commit}"
        project = client.create_project(
            experiment,
            reference_dataset_id=dataset.id,
            metadata={
                "commit": info.commit,
                "model": info.model,
                "embeddings": info.embeddings,
                "split": info.split,
            },
        )
        _upload_cases(client, (experiment, project.id), ids, cases)
        names.append(experiment)
    client.flush()
    return ", ".join(names)
