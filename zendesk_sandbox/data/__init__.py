"""Generated Zendesk account data: lazy, deterministic from the seed."""
