"""sales-agent: an operator-mode prospecting and nurturing agent built on LangGraph."""

__version__ = "0.1.0"
