"""Comparing agent configs over repeated runs: running them (`execution`), what a comparison
is and yields (`models`), host `scheduling`, and the `summary` files. The statistics are
`chimera.statistics`."""
