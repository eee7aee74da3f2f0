"""`python -m sales_agent.bench gate`: the benchmarks without the full CLI."""

import sys

import typer

from sales_agent.bench.cli import bench_app
from sales_agent.errors import SalesAgentError

try:
    bench_app(prog_name="python -m sales_agent.bench")
except SalesAgentError as exc:
    typer.echo(f"error: {exc.message}", err=True)
    sys.exit(2)
