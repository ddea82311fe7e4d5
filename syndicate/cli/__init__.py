"""Command-line entry points: one module per area (`syndicate collect`, `digest`, …)."""
