"""Labelled replies (`evals/datasets/replies*.jsonl`) as the reader sees them.

One reading of the dataset format for everything that learns from or measures the offline
reader: the training file, the reader's score and its benchmark. The text is what the reader
gets in a run: the body (HTML turned to text) with quoted history and signature removed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sales_agent.connectors.gmail_parsing import html_to_text, strip_reply

__all__ = ["LabelledReply", "Split", "labelled_replies"]

Split = Literal["dev", "test"]


@dataclass(frozen=True)
class LabelledReply:
    """One inbound message of a labelled dataset and the intent it is labelled with."""

    name: str
    split: str
    text: str
    subject: str
    sender: str
    intent: str


def labelled_replies(
    datasets: Iterable[Path], *, split: Split | None = None
) -> list[LabelledReply]:
    """The inbound lines of `datasets` (all splits, or only `split`) that carry an intent."""
    found = []
    for dataset in datasets:
        for raw in dataset.read_text(encoding="utf-8").splitlines():
            row = json.loads(raw) if raw.strip() else {}
            inbound, intent = row.get("inbound"), row.get("expect", {}).get("intent")
            if inbound is None or intent is None or (split and row.get("split") != split):
                continue
            body = str(inbound["body"])
            found.append(
                LabelledReply(
                    name=str(row.get("name", "")),
                    split=str(row.get("split", "")),
                    text=strip_reply(html_to_text(body) if inbound.get("html") else body),
                    subject=str(inbound.get("subject", "")),
                    sender=str(inbound.get("from", "")),
                    intent=str(intent),
                )
            )
    return found
