"""Generator of the sandbox workspace: `python -m scripts.workspace` rewrites the packaged data.

Deterministic: the same code always writes the same files, so the data can be reviewed as
a diff. Each service has its own module with `generate(cast) -> dict`, written to
`src/sales_agent/sandbox/data/<service>.json`.
"""
