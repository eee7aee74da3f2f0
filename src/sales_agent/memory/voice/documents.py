"""Drive documents the operator chose as extra voice samples, one sample per paragraph.

A proposal or a "how we write" guide carries the operator's phrasing too, but as one long
text it would count as a single email; its paragraphs are closer to what a learner compares.
Reading goes through the Drive connector, so the allowlist holds: a document outside it raises
`DriveAccessError` before any of its content is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sales_agent.connectors.drive import DriveClient
from sales_agent.memory.voice.corpus import RawEmail
from sales_agent.policy.gate_content import word_count

__all__ = ["MIN_PARAGRAPH_WORDS", "document_samples", "paragraphs"]

MIN_PARAGRAPH_WORDS = 6
"""Shorter paragraphs show no phrasing worth learning."""

_BLANK_LINES = re.compile(r"\n\s*\n")
# Prose ends a sentence; a title, heading or attribution line does not.
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def paragraphs(text: str) -> list[str]:
    """The text's prose paragraphs (split on blank lines), titles and headings left out."""
    blocks = (block.strip() for block in _BLANK_LINES.split(text.replace("\r\n", "\n")))
    return [
        block
        for block in blocks
        if word_count(block) >= MIN_PARAGRAPH_WORDS and _SENTENCE_END.search(block)
    ]


def document_samples(drive: DriveClient, file_ids: Sequence[str]) -> list[RawEmail]:
    """Each paragraph of each document as a raw sample with the id `drive:<file id>:<n>`."""
    samples: list[RawEmail] = []
    for file_id in dict.fromkeys(file_ids):  # a repeated id would weigh its document twice
        for n, paragraph in enumerate(paragraphs(drive.read_text(file_id)), start=1):
            samples.append(RawEmail(id=f"drive:{file_id}:{n}", body=paragraph))
    return samples
