"""Voice: the operator's profile, learned from their Sent mail and refined by their edits.

The profile's types are domain types (`sales_agent.domain.voice`); this package holds the
learning, storage and measurement functions, each in its own module.
"""
