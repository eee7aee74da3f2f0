"""The agents: one module per node, each a small function of (state, runtime)."""
