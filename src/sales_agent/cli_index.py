"""`sales-agent index` and `sales-agent search`: build memory's vector indexes and query them.

With no credentials the commands read the sandbox workspace, started in-process.
"""

from __future__ import annotations

import typer
from rich.console import Console

__all__ = ["index_app", "search_app"]

index_app = typer.Typer(no_args_is_help=True, help="Memory indexes: Gmail, Drive, rebuild.")
search_app = typer.Typer(no_args_is_help=True, help="Search memory and Drive assets.")
console = Console()
