"""The HTTP face: thread API (langgraph-sdk compatible), health and readiness."""
