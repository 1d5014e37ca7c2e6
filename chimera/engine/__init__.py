"""One engine under `chimera compare` and `chimera sweep`.

A plan (a comparison's repetitions, a sweep's cells) is a sequence of batches of runs;
the engine reads each finished run's figures (`figures`), dispatches the batches on an
executor and journals each as it finishes (`dispatch`, `local`), and turns the measured
values into summaries and verdicts (`aggregate`). The two commands are thin plans on top.
"""
