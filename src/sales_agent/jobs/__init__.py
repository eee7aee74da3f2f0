"""Background work as procrastinate jobs: follow-up runs and resumes, indexing, upkeep.

`app.py` holds the one procrastinate `App` every task registers on; `enqueue.py` is how the
rest of the code starts a background run; `worker.py` runs a worker (in-process for `serve`,
or on its own for `sales-agent worker`).
"""
