"""Policy: every rule that decides whether the agent may act, and the audit trail."""
