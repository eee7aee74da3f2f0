"""Deterministic implementations of the LLM steps.

Used with `SALES_AGENT_MODEL=offline` and as the fallback when a model's output fails
validation.
"""
