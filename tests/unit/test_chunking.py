"""Chunking for the vector index: about 1000 characters, up to 200 of overlap, boundaries."""

from __future__ import annotations

from itertools import pairwise

from sales_agent.memory.chunking import CHUNK_OVERLAP, CHUNK_SIZE, chunk_text


def _paragraph(number: int, sentences: int) -> str:
    return " ".join(
        f"Paragraph {number} makes point {s} about cycle time." for s in range(sentences)
    )


def test_short_text_is_one_chunk_and_blank_text_none() -> None:
    assert chunk_text("One short paragraph.") == ["One short paragraph."]
    assert chunk_text(" \n\n \n") == []


def test_chunks_respect_the_size_and_cover_the_text() -> None:
    paragraphs = [_paragraph(n, 3) for n in range(30)]  # about 150 characters each
    chunks = chunk_text("\n\n".join(paragraphs))
    assert len(chunks) > 3
    assert all(len(chunk) <= CHUNK_SIZE for chunk in chunks)
    # Close to the target, not a handful of characters each: the last one may be short.
    assert all(len(chunk) >= CHUNK_SIZE - 2 * CHUNK_OVERLAP for chunk in chunks[:-1])
    for paragraph in paragraphs:
        assert any(paragraph in chunk for chunk in chunks)


def test_chunks_break_at_paragraphs_and_overlap_by_whole_paragraphs() -> None:
    paragraphs = [_paragraph(n, 3) for n in range(30)]
    chunks = chunk_text("\n\n".join(paragraphs))
    for chunk in chunks:
        # Every chunk starts and ends on a paragraph boundary: no paragraph is cut.
        assert chunk.startswith("Paragraph ")
        assert chunk.split("\n\n")[-1] in paragraphs
    for previous, following in pairwise(chunks):
        shared = following.split("\n\n")[0]
        assert shared in previous, "consecutive chunks overlap"
        assert len(shared) <= CHUNK_OVERLAP


def test_a_long_paragraph_is_cut_at_sentences_not_mid_word() -> None:
    paragraph = _paragraph(1, 60)  # about 2900 characters, no line breaks
    chunks = chunk_text(paragraph)
    assert len(chunks) >= 3
    assert all(len(chunk) <= CHUNK_SIZE for chunk in chunks)
    assert all(chunk.endswith("cycle time.") for chunk in chunks)
    assert all(chunk.startswith("Paragraph 1 makes point") for chunk in chunks)
    # The overlap is whole sentences, so each chunk repeats the previous one's last sentence.
    for previous, following in pairwise(chunks):
        last_sentence = previous.rsplit(". ", 1)[-1]
        assert last_sentence in following
