"""Graphs: state models, one builder per graph, and the registry `langgraph.json` reads."""
