"""`sales-agent`: the command line, one module per command group (assembled in `cli.app`)."""

from __future__ import annotations

import gc

__all__ = ["main"]


def main() -> None:
    """Entry point of the `sales-agent` script: import the commands, then run the one asked."""
    # Importing the commands makes about half a million long-lived objects (schemas, graphs,
    # lexicons). The cyclic collector would scan them again and again while they are made,
    # about a sixth of a process's start, and free none of them; so it waits until the
    # imports are done, and `gc.freeze` then keeps what they made out of its later scans.
    gc.disable()
    try:
        from sales_agent.cli.app import run
    finally:
        gc.freeze()
        gc.enable()
    run()
