"""Evals: run scenarios through the graph, record traces, score them (and re-score later).

The datasets, recorded traces and reports live in the repository's top-level `evals/`.
"""
