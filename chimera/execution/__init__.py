"""Running the graph for one agent: the `runner`, its `result` (run.json), the Markdown
`report`, the run folders (`runstore`) and the SQLite `checkpoints` that make resume work."""
