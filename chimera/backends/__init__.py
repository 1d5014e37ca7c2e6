"""Model backends: one module per wire format, each with its facts in a `SPEC` (see registry)."""
