"""`sales-agent`: the command line, one module per command group."""

from sales_agent.cli.app import app, main

__all__ = ["app", "main"]
