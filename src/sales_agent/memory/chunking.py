"""Splitting a document's text into overlapping chunks for the vector index."""

from __future__ import annotations

from langchain_text_splitters import RecursiveCharacterTextSplitter

__all__ = ["CHUNK_OVERLAP", "CHUNK_SIZE", "chunk_text"]

CHUNK_SIZE = 1000
"""At most this many characters per chunk: long enough to carry a section's point, short
enough that one chunk's vector is about one thing."""
CHUNK_OVERLAP = 200
"""Up to this many characters of the previous chunk repeated at the start of the next, so a
point that straddles a boundary is still found whole."""

# Coarsest first: a chunk ends at a blank line (paragraph) when one fits, else a line break,
# else a sentence end, else a space; "" only for a single run of 1000 characters with none.
_SEPARATORS = ["\n\n", "\n", ". ", "? ", "! ", " ", ""]

# The splitter keeps no state between calls, so one instance serves every caller.
_SPLITTER = RecursiveCharacterTextSplitter(
    chunk_size=CHUNK_SIZE,
    chunk_overlap=CHUNK_OVERLAP,
    separators=_SEPARATORS,
    # The separator stays with the text before it: a sentence keeps its full stop, and a
    # chunk starts at the beginning of a paragraph, line or sentence.
    keep_separator="end",
)


def chunk_text(text: str) -> list[str]:
    """The text's chunks, in order; none for a text with no visible characters.

    Overlap is made of whole trailing pieces (paragraphs, lines, sentences) that fit in
    `CHUNK_OVERLAP`, so it never cuts a word, and is empty when the previous piece is longer.
    """
    return [chunk for chunk in _SPLITTER.split_text(text) if chunk.strip()]
