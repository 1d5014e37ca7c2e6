"""`chimera sweep`: tune agent-config settings over a grid, measured with repetitions.

Where the parts live: grid grammar and sweep files in `spec`, cells (the base config with
values applied) in `cells`, the run order in `plan`, one run's record and the journal in
`records`, running in `execution`, statistics and verdicts in `results`, the time a sweep
takes in `estimate`, and its outputs in `summary`, `charts` and `best`.
"""
