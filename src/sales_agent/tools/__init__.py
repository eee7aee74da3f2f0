"""What a model may call: read-only LangChain tools (no tool here writes anything).

Clients of the external services live in `sales_agent.connectors`; the writes they offer
are called only by deterministic nodes, after the quality gate and approval.
"""
