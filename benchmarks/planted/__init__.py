"""The planted-figures benchmark of the figures check (see benchmarks/grounding_planted.py).

- `shapes`: seeded data folders of different shapes, written with numpy/pandas;
- `truth`: the true figures of a folder, computed with pandas from its files alone;
- `phrases` and `templates`: sentences about those figures, the way reports write them;
- `perturb`: a copy of each sentence with one figure moved by 3-40 %;
- `scoring`: `chimera run` and `chimera verify --json` as subprocesses, and the shares;
- `docs`: docs/grounding-planted.md from the results.
"""
