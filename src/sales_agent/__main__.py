"""`python -m sales_agent` runs the CLI."""

from sales_agent.cli import main

main()
