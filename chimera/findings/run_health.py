"""How sound the measurements are: failed and void sessions, degenerate answers, runs that
loaded the model, runs read twice, unstable repetitions.

- Failed rows, per file, in three kinds: **void** sessions never reached a server
  (connection refused, a URL without a scheme, a missing library: no model ran, so they say
  nothing about speed and a longer timeout would not help); **timeouts**; other failures.
- **Degenerate** answers (a handful of tokens where the file's usual answer is ten times
  longer) are set apart by the digest: their rate measures overhead, not decoding.
- **Cold rows**: calls that loaded the model, found by the digest per row (a load time far
  above the file's usual, or the first call after a change that reloads an Ollama model);
  set apart from comparisons. After each such change, not once per model, a warm-up call.
  **Warm-up requests** (a run's first request, its TTFT far above the rest of the run) are
  said apart from loads: the server warmed, no model was loaded.
- **Overload**: a serving run that achieved far fewer requests a second than the rate the
  benchmark offered (`request_rate` 48, 4.38 req/s achieved) measured a queue: its latencies
  are waiting time and its throughput the server's ceiling, not that load's figures.
- **Duplicates**: files whose runs repeat another file's, counted once.
- **Instability**: the coefficient of variation of throughput within repetitions of one
  setup on one workload (never over several prompts); above `UNSTABLE_CV` it is unstable.
  Where each row is a mean of timed runs (a settings file beside the table states how
  many), the spread is between those means, said so, never as run to run.
- **Rows that are means of runs**: said once, with how many runs each row is over, so no
  reader takes a finding's n (rows) for runs.
- **Stated means that do not match their runs**: a file's own mean beside the runs it
  summarises that is not their mean (a bug in its script, a mean over other runs): said,
  and the runs read instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from chimera.findings.duration import duration
from chimera.findings.finding import Finding, Recommendation
from chimera.findings.measured import (
    THROUGHPUT,
    Measured,
    fmt,
    model_words,
    named,
    scope_context,
    scope_words,
)
from chimera.grounding.figure_text import find_figures
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.cold import FIRST_OVER_NEXT, FIRST_RATIO, SELF_LABELLED
from chimera.ingest.digest.identity import model_from_path
from chimera.ingest.digest.models import (
    ColdRows,
    DataDigest,
    MetricStats,
    ReasoningCounted,
    Setup,
    SomeRequestsFailed,
)
from chimera.ingest.digest.readers import STATED_MEAN_MISMATCH
from chimera.ingest.digest.stats import PAIR_SEPARATOR

UNSTABLE_CV = 0.10


def _rows(n: int, one: str, many: str) -> str:
    """ "1 row failed and is", "3 rows failed and are"."""
    return f"1 row {one}" if n == 1 else f"{n} rows {many}"


def _count(
    value: float, metric: str, source: str, context: dict[str, str] | None = None
) -> KnownFigure:
    return KnownFigure(
        value=value, unit="rows", metric=metric, statistic="count", kind=metric,
        context=context or {}, source=source,
    )  # fmt: skip


def errors(digest: DataDigest) -> list[Finding]:
    """Failed rows, per kind: void sessions apart from timeouts and other failures."""
    files = sorted(digest.error_rows, key=lambda e: (-e.count, e.path))
    if not files:
        return []
    out = []
    for kind, title, importance in (
        ("void", "void sessions", 42.0),
        ("timeout", "timed-out rows", 65.0),
        ("failed", "failed rows", 45.0),
    ):
        mine = [e for e in files if e_kinds([e], kind) > 0]
        if not mine:
            continue
        total = sum(e_kinds([e], kind) for e in mine)
        parts, figures = [], [_count(total, f"{kind}_rows", f"finding: {title}, all files")]
        for e in mine[:3]:
            n = e_kinds([e], kind)
            model = model_from_path(e.path)
            of = f" of {e.rows}" if e.rows else ""
            parts.append(f"{n}{of} rows of {e.path}" + (f" ({model})" if model else ""))
            context = {"file": e.path, **({"model": model} if model else {})}
            figures.append(_count(n, f"{kind}_rows", f"finding: {title} in {e.path}", context))
            if e.rows:
                figures.append(_count(e.rows, "rows", f"finding: rows in {e.path}", context))
        if len(mine) > 3:
            parts.append(
                f"{sum(e_kinds([e], kind) for e in mine[3:])} in {len(mine) - 3} more files"
            )
        sample = " ".join((mine[0].samples.get(kind) or mine[0].sample).split())[:80]
        figures += [
            KnownFigure(
                value=m.value, unit=m.unit or "", metric="error_message", statistic="quoted",
                context={"file": mine[0].path}, source=f"finding: error message in {mine[0].path}",
            )
            for m in find_figures(sample)
        ]  # fmt: skip
        rec = None
        if kind == "void":
            text = (
                _rows(total, "is a void session", "are void sessions")
                + " that never reached a model server and "
                + ("is" if total == 1 else "are")
                + f' left out of the statistics: {", ".join(parts)}; the first reads "{sample}". '
                "They say nothing about speed; fix the harness (server address, URL scheme, "
                "libraries) rather than any timeout."
            )
        elif kind == "timeout":
            text = (
                f"{_rows(total, 'timed out and is', 'timed out and are')} left out of the "
                "statistics: "
                f'{", ".join(parts)}; the first reads "{sample}".'
            )
            models = sorted({m for e in mine if (m := model_from_path(e.path))})
            who = f" for {named(models, 'more models')}" if models else ""
            rec = Recommendation(
                id="",
                text=(
                    f"Raise the benchmark's request timeout{who} (or lower num_predict) so slow "
                    "calls finish: timed-out rows drop out of every mean and bias it upwards."
                ),
                model=models[0] if len(models) == 1 else None,
            )
        else:
            text = (
                f"{_rows(total, 'failed and is', 'failed and are')} left out of the statistics: "
                f"{', '.join(parts)}; "
                f'the first error reads "{sample}".'
            )
        out.append(
            Finding(
                id="",
                kind="void_sessions" if kind == "void" else "errors",  # type: ignore[arg-type]
                title=title,
                text=text,
                headline=f"{total} {title} left out",
                figures=figures,
                groups=[e.path for e in mine],
                sources=[e.path for e in mine],
                verdict="info",
                importance=importance,
                recommendation=rec,
            )  # fmt: skip
        )
    return out


def e_kinds(files: Sequence, kind: str) -> int:
    """Rows of `kind` in `files` (a file read before kinds were kept counts as 'failed')."""
    total = 0
    for e in files:
        if e.kinds:
            total += e.kinds.get(kind, 0)
        elif kind == "failed":
            total += e.count
    return total


def _tokens(count: float) -> str:
    """A token count as a whole number where it is one ("0 tokens", not "0.00 tokens"); a
    median of two counts may fall between them (767.50)."""
    return str(int(count)) if float(count).is_integer() else fmt(count)


def degenerate(digest: DataDigest) -> list[Finding]:
    """Answers of a handful of tokens, set apart from the rates."""
    if not digest.degenerate:
        return []
    total = sum(d.rows for d in digest.degenerate)
    first = digest.degenerate[0]
    where = named([f"{d.path} ({d.model})" for d in digest.degenerate], "more")
    most = _tokens(max(d.tokens_max for d in digest.degenerate))
    answers = (
        f"{total} answers of at most {most} tokens are set apart as degenerate generations"
        if total != 1
        else f"1 answer of {most} tokens is set apart as a degenerate generation"
    )
    text = (
        f"{answers} ({where}): the usual answer there is {_tokens(first.usual_tokens)} tokens, "
        "so their rate measures request overhead, not decoding."
    )
    return [
        Finding(
            id="",
            kind="degenerate",
            title="degenerate generations",
            text=text,  # type: ignore[arg-type]
            figures=[
                _count(total, "degenerate_rows", "finding: degenerate rows"),
                KnownFigure(
                    value=first.usual_tokens,
                    unit="tokens",
                    metric="eval_count",
                    statistic="median",
                    source=f"finding: usual tokens in {first.path}",
                ),
            ]
            + [
                KnownFigure(
                    value=d.tokens_max,
                    unit="tokens",
                    metric="eval_count",
                    statistic="max",
                    source=f"finding: degenerate answers in {d.path}",
                )
                for d in digest.degenerate
            ],
            sources=sorted({d.path for d in digest.degenerate}),
            verdict="info",
            importance=20.0,
        )  # fmt: skip
    ]


def some_requests_failed(digest: DataDigest) -> list[Finding]:
    """Rows that completed some of the requests they sent, not all: kept, but said. A file
    that counts no failed request (GenAI-Perf's) is said apart: its figures stand on the
    requests it counted, and what became of the others it does not say."""
    files = sorted(
        (f for f in digest.some_requests_failed if f.failures_counted),
        key=lambda f: (-f.rows, f.path),
    )
    uncounted = [f for f in digest.some_requests_failed if not f.failures_counted]
    return _requests_failed(files) + _requests_uncounted(uncounted)


REASONING_TITLE = "figures that count reasoning tokens"
# what the time to a reasoning model's answer's first token (AIPerf's
# `time_to_first_output_token`) is of, in its figure's context
ANSWER_FIRST = "the answer's first token"


def reasoning_counted(digest: DataDigest) -> list[Finding]:
    """A run whose figures count a reasoning model's reasoning tokens (AIPerf's): what its
    TTFT and output throughput are of, and the answer's first token where the file times it
    (`time_to_first_output_token`), as a figure of its own: the wait a reader of the answer
    has, not the TTFT the file headlines."""
    return [_reasoning_finding(r) for r in sorted(digest.reasoning_counted, key=lambda r: r.path)]


def _reasoning_finding(r: ReasoningCounted) -> Finding:
    context = {"file": r.path}

    def figure(value: float, unit: str, metric: str, statistic: str, what: str) -> KnownFigure:
        return KnownFigure(value=value, unit=unit, metric=metric, statistic=statistic,
                           kind=f"{metric} {statistic}", context=context,
                           source=f"finding: {what} in {r.path}")  # fmt: skip

    of = (
        f" of the {fmt(r.output_tokens)} output tokens"
        if r.output_tokens is not None and r.output_tokens >= r.reasoning_tokens
        else ""
    )
    sentences = [
        f"The figures of {r.path} count the reasoning tokens: {fmt(r.reasoning_tokens)} "
        f"reasoning tokens{of} a request."
    ]
    figures = [figure(r.reasoning_tokens, "tokens", "reasoning_tokens", "mean", "reasoning tokens")]
    if r.output_tokens is not None:
        figures.append(figure(r.output_tokens, "tokens", "output_tokens", "mean", "output tokens"))
    if r.first_token_ms is not None:
        sentences.append(
            f"Its TTFT, {fmt(r.first_token_ms)} ms (mean), is to the reasoning's first token."
        )
        figures.append(figure(r.first_token_ms, "ms", "ttft_ms", "mean", "the first token"))
    if r.answer_first_token_ms is not None:
        sentences.append(
            f"The answer's first token came at {fmt(r.answer_first_token_ms)} ms (mean, its "
            "time_to_first_output_token): the wait before a reader sees the answer begin."
        )
        # a time to a first token too (the answer's), as GenAI-Perf's TTFT is
        figures.append(figure(r.answer_first_token_ms, "ms", "ttft_ms", "mean", ANSWER_FIRST))
    else:
        sentences.append("The file does not time the answer's first token.")
    if r.output_throughput is not None:
        sentences.append(
            f"Its output throughput, {fmt(r.output_throughput)} tok/s, counts the reasoning "
            "tokens too: a tool taking the answer's tokens only counts fewer."
        )
        figures.append(
            figure(r.output_throughput, "tok/s", THROUGHPUT, "as_reported", "output throughput")
        )
    if r.requests is not None:
        sentences.append(f"Each figure is over its {r.requests:g} requests.")
        figures.append(figure(r.requests, "calls", "completed_requests", "count", "requests"))
    return Finding(
        id="",
        kind="reported",
        title=REASONING_TITLE,
        text=" ".join(sentences),
        figures=figures,
        groups=[r.path],
        sources=[r.path],
        verdict="info",
        importance=30.0,
    )


def _requests_uncounted(files: list[SomeRequestsFailed]) -> list[Finding]:
    """Figures over fewer requests than the run asked, in a file that counts no failure
    (GenAI-Perf: 35 of 100 requests in `request_count`): said as the requests the figures
    stand on, never as failures nor as a run of all the requests asked."""
    parts, figures = [], []
    for f in sorted(files, key=lambda f: f.path):
        parts.append(
            f"the figures of {f.path} stand on {f.completed} requests (its request count), "
            f"of the {f.requested} it was set to send"
        )
        context = {"file": f.path}
        figures += [
            KnownFigure(value=f.completed, unit="calls", metric="completed_requests",
                        statistic="count", context=context,
                        source=f"finding: requests counted in {f.path}"),
            KnownFigure(value=f.requested, unit="calls", metric="requested", statistic="count",
                        context=context, source=f"finding: requests asked in {f.path}"),
        ]  # fmt: skip
    if not parts:
        return []
    text = (
        f"{'; '.join(parts)[0].upper()}{'; '.join(parts)[1:]}. "
        f"{'The file does' if len(files) == 1 else 'The files do'} not count failed requests, "
        "so whether the others failed or were left out of the statistics is not said: each "
        "figure is over the counted requests only, not over every request asked."
    )
    return [
        Finding(
            id="",
            kind="errors",
            title="figures over fewer requests than asked",
            text=text,
            headline=(
                f"{files[0].completed} of {files[0].requested} requests asked are in the figures"
                if len(files) == 1
                else f"{len(files)} files' figures are over fewer requests than asked"
            ),
            figures=figures,
            groups=[f.path for f in files],
            sources=[f.path for f in files],
            verdict="info",
            importance=40.0,
        )
    ]


def _requests_failed(files: list[SomeRequestsFailed]) -> list[Finding]:
    """Rows of files that count their failures, each completing only some of its requests."""
    if not files:
        return []
    total = sum(f.rows for f in files)
    parts, figures = [], [_count(total, "some_failed_rows", "finding: rows where requests failed")]
    for f in files[:3]:
        parts.append(
            f"{f.rows} of {f.of_rows} rows of {f.path}, the least {f.completed} of "
            f"{f.requested} requests completed"
        )
        context = {"file": f.path}
        figures += [
            _count(f.rows, "some_failed_rows", f"finding: rows where requests failed in {f.path}",
                   context),
            _count(f.of_rows, "rows", f"finding: rows in {f.path}", context),
            KnownFigure(value=f.completed, unit="requests", metric="completed_requests",
                        statistic="min", context=context,
                        source=f"finding: requests completed in {f.path}"),
            KnownFigure(value=f.requested, unit="requests", metric="requested", statistic="count",
                        context=context, source=f"finding: requests sent in {f.path}"),
        ]  # fmt: skip
    if len(files) > 3:
        parts.append(f"{sum(f.rows for f in files[3:])} in {len(files) - 3} more files")
    who = (
        "1 row completed only some of the requests it sent"
        if total == 1
        else f"{total} rows each completed only some of the requests they sent"
    )
    text = (
        f"{who}: {'; '.join(parts)}. They are kept, but their figures are over the completed "
        "requests only: not a clean run at that load; the failed requests are in no figure."
    )
    return [
        Finding(
            id="",
            kind="errors",
            title="rows where some requests did not complete",
            text=text,
            headline=f"{total} row{'' if total == 1 else 's'} where some requests did not complete",
            figures=figures,
            groups=[f.path for f in files],
            sources=[f.path for f in files],
            verdict="info",
            importance=40.0,
        )
    ]


# A run achieving less than this share of the request rate offered could not keep up.
_KEPT_UP = 0.8
_OVERLOADS_NAMED = 3


def overloaded(digest: DataDigest) -> list[Finding]:
    """Serving runs whose achieved requests a second fell well short of the rate offered
    (SGLang-dLoRA: 4.10-4.42 req/s at 8-48 offered): the server was saturated, requests
    queued, so TTFT and latency measure the queue. Said once, the worst named."""
    achieved: dict[tuple[object, ...], MetricStats] = {
        (s.machine, s.engine, s.group): s
        for s in digest.stats
        if s.group_by == "model+config_name" and s.metric == "requests_per_s" and s.n == 1
    }
    if not achieved:
        return []
    short: list[tuple[float, Setup, float, MetricStats]] = []
    for setup in digest.setups:
        offered = setup.params.get("request_rate")
        if not isinstance(offered, int | float) or isinstance(offered, bool):
            continue
        if not math.isfinite(offered) or offered <= 0:
            continue
        label = f"{setup.model}{PAIR_SEPARATOR}{setup.config}"
        s = achieved.get((setup.machine, setup.engine, label))
        # below the share as it is printed (27.83 of 35 is "80 %": kept up)
        if s is not None and round(100 * s.mean / offered) < 100 * _KEPT_UP:
            short.append((s.mean / offered, setup, float(offered), s))
    if not short:
        return []
    short.sort(key=lambda item: (item[0], str(item[1].config)))
    low = min(s.mean for *_, s in short)
    high = max(s.mean for *_, s in short)
    parts = [
        f"{model_words(setup.model)} at {setup.config}: {fmt(s.mean)} req/s achieved of "
        f"{offered:g} "
        f"offered ({share * 100:.0f} %)"
        for share, setup, offered, s in short[:_OVERLOADS_NAMED]
    ]
    if len(short) > _OVERLOADS_NAMED:
        parts.append(f"and {len(short) - _OVERLOADS_NAMED} more")
    runs = "1 serving run" if len(short) == 1 else f"{len(short)} serving runs"
    text = (
        f"{runs} achieved far fewer requests a second than the benchmark offered "
        f"({fmt(low)}-{fmt(high)} req/s achieved): " + "; ".join(parts) + ". The server could "
        "not keep up, so requests queued: their TTFT and latency measure the queue, and their "
        "throughput is the server's ceiling, not a figure of that load. Compare such runs as "
        "overloaded, or lower the rate until the achieved rate meets the offered one."
    )
    figures = [
        KnownFigure(value=s.mean, unit="req/s", metric="requests_per_s", statistic="as_reported",
                    context={"model": str(setup.model), "config": setup.config},
                    source=f"finding: requests a second achieved, {', '.join(s.sources)}")
        for _, setup, _, s in short[:_OVERLOADS_NAMED]
    ]  # fmt: skip
    figures += [
        KnownFigure(value=share * 100, unit="%", metric="requests_per_s", statistic="share",
                    context={"model": str(setup.model), "config": setup.config},
                    source="finding: share of the offered request rate achieved")
        for share, setup, _, _ in short[:_OVERLOADS_NAMED]
    ]  # fmt: skip
    figures += [
        KnownFigure(value=value, unit="req/s", metric="requests_per_s", statistic=statistic,
                    source=f"finding: {statistic} requests a second achieved, overloaded runs")
        for value, statistic in ((low, "min"), (high, "max"))
    ]  # fmt: skip
    return [
        Finding(
            id="",
            kind="errors",
            title="serving runs that could not keep up with the offered request rate",
            text=text,
            headline=f"{runs} overloaded: {fmt(low)}-{fmt(high)} req/s achieved",
            figures=figures,
            groups=[f"{setup.model}{PAIR_SEPARATOR}{setup.config}" for _, setup, _, _ in short],
            sources=sorted({src for *_, s in short for src in s.sources}),
            verdict="info",
            caveats=["the latencies of these runs are queueing time"],
            importance=45.0,
        )
    ]


def _paths(marks: list[ColdRows]) -> list[str]:
    """The files of cold marks, each once: a file has a mark per table and model."""
    return list(dict.fromkeys(c.path for c in marks))


# The per-run times a load is part of, as a reader names them.
_TIMES_WITH_LOAD = {"ttft_ms": "TTFT", "latency_ms": "latency", "total_ms": "total time"}


def _load_in(digest: DataDigest, marks: list[ColdRows]) -> str:
    """'; their TTFT and total time include the load', naming only the per-run times those
    files hold (a file of per-model summaries beside a load column holds none)."""
    paths = set(_paths(marks))
    held = {
        s.metric
        for s in digest.stats
        if s.aggregate is None and s.metric in _TIMES_WITH_LOAD and paths & set(s.sources)
    }
    names = [label for metric, label in _TIMES_WITH_LOAD.items() if metric in held]
    if not names:
        return ""
    return f"; their {named(names)} include{'s' if len(names) == 1 else ''} the load"


def _runs_of(marks: list[ColdRows]) -> int:
    """The runs of the files of `marks`, every model of each (a mark counts the rows of its
    own model only: summed, they leave out the models that had no cold row)."""
    runs: dict[str, int] = {}
    for c in marks:
        if c.file_runs is not None:
            runs[c.path] = c.file_runs
        else:  # a digest written before files' runs were counted
            runs[c.path] = runs.get(c.path, 0) + c.of_rows
    return sum(runs.values())


def _usual_load(digest: DataDigest, worst: ColdRows) -> tuple[str, KnownFigure] | None:
    """What the worst load stands against: its file's other calls, else (a file of one call,
    which has none: it was said as "a usual 0.00 ms") the median load of the calls of its
    machine and engine, else nothing."""
    if worst.load_ms_usual is not None:
        return f"a usual {duration(worst.load_ms_usual)}", KnownFigure(
            value=worst.load_ms_usual, unit="ms", metric="load_ms", statistic="median",
            context={"file": worst.path}, source=f"finding: usual load time in {worst.path}",
        )  # fmt: skip
    scope = next(
        (
            s
            for s in digest.stats
            if s.metric == "load_ms" and s.group_by is None and s.aggregate is None
            and worst.path in s.sources and s.n > worst.rows
        ),
        None,
    )  # fmt: skip
    if scope is None:
        return None
    where = scope_words(digest, scope.machine, scope.engine) or " of the folder"
    return f"a median of {duration(scope.median)} over the {scope.n} calls{where}", KnownFigure(
        value=scope.median, unit="ms", metric="load_ms", statistic="median",
        context=scope_context(digest, scope.machine, scope.engine),
        source=f"finding: median load time of the calls{where}",
    )  # fmt: skip


def cold_rows(digest: DataDigest) -> list[Finding]:
    """Calls that loaded the model, set apart from comparisons, and what to do about them."""
    apart = [
        c
        for c in digest.cold_rows
        if c.rows and not c.every_row_loaded and c.by != WARM_UP  # warm_ups says those
    ]
    every = [c for c in digest.cold_rows if c.every_row_loaded]
    if not apart and not every:
        return []
    figures: list[KnownFigure] = []
    parts = []
    labelled = False
    if apart:
        total = sum(c.rows for c in apart)
        of = _runs_of(apart)
        by_settings = any(c.by == "settings" for c in apart)
        # Rows the benchmark labels itself (Ollama's ColdStart, a warm-up phase): it set them
        # apart on purpose, so there is nothing to advise it.
        labelled = all(c.by.startswith(SELF_LABELLED) for c in apart)
        loads = [c.load_ms_max for c in apart if c.load_ms_max is not None]
        figures.append(_count(total, "rows", "finding: rows that loaded the model"))
        figures.append(_count(of, "rows", "finding: runs of the files with such rows"))
        files = named(_paths(apart), "more files")
        # "4 of the 4 runs of" four files of one call each read as every run of the folder:
        # the files' own runs are all there is to count then.
        runs = f"{total} of the {of} runs"
        if total == of:
            runs = "The one run" if total == 1 else f"All {total} runs"
        text = (
            f"{total} of the {of} runs of {files} are labelled cold or warm-up by the benchmark "
            "itself"
            if labelled
            else f"{runs} of {files} loaded the model"
        )
        if loads:
            worst = max(apart, key=lambda c: c.load_ms_max or 0)
            text += f", with loads of up to {duration(worst.load_ms_max or 0)} in {worst.path}"
            figures.append(
                KnownFigure(value=worst.load_ms_max or 0, unit="ms", metric="load_ms",
                            statistic="max", context={"file": worst.path},
                            source=f"finding: load time of the cold rows in {worst.path}")
            )  # fmt: skip
            usual = _usual_load(digest, worst)
            if usual is not None:
                text += f" against {usual[0]}"
                figures.append(usual[1])
        text += (
            "; they are left out of every comparison of settings, models and machines (their "
            "load times are kept)."
        )
        if by_settings:
            text += (
                " Where no load time was recorded, the first call after each change of num_ctx "
                "or num_gpu is taken as one: Ollama reloads the model then."
            )
        parts.append(text)
    if every:
        parts.append(
            f"In {named(_paths(every), 'more files')} every call loaded the model, "
            f"so those rows are alike and none is set apart{_load_in(digest, every)}."
        )
    # The evidence in the advice itself: how many rows here measured a load.
    evidence = ""
    if apart:
        total, of = sum(c.rows for c in apart), _runs_of(apart)
        evidence = f" ({total}{'' if total == of else f' of {of}'} runs here did)"
    rec = Recommendation(
        id="",
        text=(
            "Send one discarded warm-up call after every change that reloads the model "
            "(num_ctx, num_gpu, another model), not once per model, or keep it loaded with "
            f"keep_alive: a benchmark's first call after a change measures the load{evidence}."
        ),
        figures=figures[:2],
    )
    return [
        Finding(
            id="",
            kind="cold_start",
            title="rows that loaded the model",
            text=" ".join(parts),
            headline=(
                f"{sum(c.rows for c in apart)} rows loaded the model and are set apart"
                if apart
                else "every call loaded the model in some files"
            ),
            figures=figures,
            groups=_paths(apart + every),
            sources=sorted({c.path for c in apart + every}),
            verdict="info",
            importance=50.0,
            recommendation=rec if apart and not labelled else None,
        )  # fmt: skip
    ]


WARM_UP = "first request"
MAX_WARM_UPS_NAMED = 6  # runs whose warm-up one sentence details; the rest counted


def warm_ups(digest: DataDigest) -> list[Finding]:
    """Runs whose first request stood far above the rest (a warm-up), set apart: per run its
    TTFT against the others', and what it does to the run's mean TTFT."""
    marks = [c for c in digest.cold_rows if c.rows and c.by == WARM_UP]
    if not marks:
        return []
    total, of = sum(c.rows for c in marks), _runs_of(marks)
    figures = [
        _count(total, "rows", "finding: warm-up requests set apart"),
        _count(of, "rows", "finding: runs of the files with a warm-up request"),
    ]
    ordered = sorted(marks, key=lambda c: -(c.ttft_ms_first or 0))
    each = []
    for c in ordered[:MAX_WARM_UPS_NAMED]:
        if c.ttft_ms_first is None or c.ttft_ms_usual is None:
            continue
        model = f" ({c.model})" if c.model else ""
        words = (
            f"{c.path}{model} {duration(c.ttft_ms_first)} against a median of "
            f"{duration(c.ttft_ms_usual)}"
        )
        context = {"file": c.path, "model": c.model or ""}
        figures += [
            KnownFigure(value=c.ttft_ms_first, unit="ms", metric="ttft_ms", statistic="max",
                        context=context, source=f"finding: TTFT of the warm-up in {c.path}"),
            KnownFigure(value=c.ttft_ms_usual, unit="ms", metric="ttft_ms", statistic="median",
                        context=context,
                        source=f"finding: median TTFT of the other requests in {c.path}"),
        ]  # fmt: skip
        if c.ttft_ms_mean_with is not None and c.ttft_ms_mean_without is not None:
            words += (
                f" (mean TTFT {duration(c.ttft_ms_mean_with)} with it, "
                f"{duration(c.ttft_ms_mean_without)} without)"
            )
            figures += [
                KnownFigure(value=c.ttft_ms_mean_with, unit="ms", metric="ttft_ms",
                            statistic="mean", context={**context, "warm_up": "included"},
                            source=f"finding: mean TTFT with the warm-up in {c.path}"),
                KnownFigure(value=c.ttft_ms_mean_without, unit="ms", metric="ttft_ms",
                            statistic="mean", context={**context, "warm_up": "left out"},
                            source=f"finding: mean TTFT without the warm-up in {c.path}"),
            ]  # fmt: skip
        each.append(words)
    if len(ordered) > MAX_WARM_UPS_NAMED:
        each.append(f"and {len(ordered) - MAX_WARM_UPS_NAMED} more runs")
    text = (
        f"{total} of the {of} requests of {named(_paths(marks), 'more files')} were a run's "
        "first with a TTFT far above the rest of its run (at least "
        f"{FIRST_RATIO:g}x its median and {FIRST_OVER_NEXT:g}x its next slowest): warm-up "
        "requests, left out of every comparison of settings, models and machines"
        + (": " + "; ".join(each) if each else "")
        + "."
    )
    return [
        Finding(
            id="",
            kind="cold_start",
            title="warm-up requests set apart",
            text=text,
            headline=f"{total} warm-up requests (a run's first) are set apart",
            figures=figures,
            groups=_paths(marks),
            sources=sorted({c.path for c in marks}),
            verdict="info",
            importance=45.0,
        )
    ]


def duplicates(digest: DataDigest) -> list[Finding]:
    """Files whose runs repeat another's: counted once."""
    if not digest.duplicates:
        return []
    parts = []
    for d in digest.duplicates[:4]:
        if d.identical:
            parts.append(f"{d.path} is a byte-for-byte copy of {d.of}")
        elif d.of == d.path:  # a note's summary table restating the note's own tables
            parts.append(f"{d.rows} rows of a summary table in {d.path} restate its other tables")
        else:
            parts.append(f"{d.rows} rows of {d.path} repeat runs of {d.of}")
    if len(digest.duplicates) > 4:
        parts.append(f"and {len(digest.duplicates) - 4} more")
    files = len({d.path for d in digest.duplicates})  # a note may quote several files
    repeat = "1 file repeats" if files == 1 else f"{files} files repeat"
    text = f"{repeat} runs read already, and each run is counted once: " + "; ".join(parts) + "."
    return [
        Finding(
            id="",
            kind="duplicates",
            title="runs read twice",
            text=text,  # type: ignore[arg-type]
            headline=f"{repeat} runs read already; counted once",
            figures=[
                _count(d.rows, "rows", f"finding: rows of {d.path} repeated")
                for d in digest.duplicates
                if d.rows
            ]
            + [_count(files, "files", "finding: files that repeat runs")],
            sources=sorted({d.path for d in digest.duplicates}),
            verdict="info",
            importance=16.0,
        )  # fmt: skip
    ]


# A figure written with this many significant digits or more, the same in two files' runs,
# is too precise to agree by chance in two measurements (6486.6 tok/s and 25.338 req/s: a
# window of 1 ms in a 25 s run). Four are not: Azir111's concurrency-4 runs of 12 and 40
# requests both wrote 494.5 tok/s and 1.932 req/s, a decode-bound rate.
_EXACT_DIGITS = 5
_FILE_CELLS = "model+config_name+file"
# a metric's name in a sentence, TTFT first among the figures that differ
_WORDS = {
    "ttft_ms": "TTFT",
    "requests_per_s": "requests a second",
    "tpot_ms": "TPOT",
    "itl_ms": "ITL",
    "latency_ms": "latency",
    "prompt_tokens_per_s": "prompt processing",
}


def _digits(value: float) -> int:
    """The significant digits a value is written with (6486.6: 5; 25.338: 5; 0.012: 2; 6400:
    2, its trailing zeros no digits of a measurement)."""
    written = f"{abs(value):.12g}".split("e")[0]
    mantissa = written.replace(".", "").lstrip("0")
    return len(mantissa) if "." in written else len(mantissa.rstrip("0"))


def restated_runs(digest: DataDigest) -> list[Finding]:
    """A run of one model in two files, its throughput and another figure the same to every
    digit written, where a third differs (Azir111's TensorRT-LLM NVFP4 at concurrency 64:
    6486.6 tok/s and 25.338 requests/s in results_trtllm_nvfp4_v2.json and _mnt16k.json, the
    median TTFT 72.1 against 69.1 ms): two measurements by their TTFTs, whose rates agree to
    the last digit, or a rate carried over; the files do not say which. It is said, and never
    as a restatement: the TTFTs differ, and a decode-bound load can repeat a rate to four
    digits (the same files' concurrency-4 runs of 12 and 40 requests: 494.5 tok/s each)."""
    cells: dict[tuple[str, str | None, str | None], dict[tuple[str, str | None], float]] = {}
    for st in digest.stats:
        if st.group_by != _FILE_CELLS or st.n != 1 or not st.group or len(st.sources) != 1:
            continue
        key = (st.group, st.machine, st.sources[0])
        cells.setdefault(key, {})[(st.metric, st.aggregate)] = st.mean
    by_rate: dict[tuple[str, float], list[tuple[str, str | None, str | None]]] = {}
    for key, figures in cells.items():
        rate = figures.get((THROUGHPUT, None))
        if rate is not None and rate > 0 and _digits(rate) >= _EXACT_DIGITS:
            model = key[0].split(PAIR_SEPARATOR)[0]
            by_rate.setdefault((model, rate), []).append(key)
    out = []
    for (model, rate), keys in sorted(by_rate.items(), key=lambda i: (i[0][0], -i[0][1])):
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                if a[2] == b[2] or a[1] != b[1]:
                    continue  # one file's own rows; two machines
                finding = _restated_pair(model, rate, (a, cells[a]), (b, cells[b]))
                if finding is not None:
                    out.append(finding)
    return out


def _restated_pair(
    model: str,
    rate: float,
    one: tuple[tuple[str, str | None, str], dict[tuple[str, str | None], float]],
    other: tuple[tuple[str, str | None, str], dict[tuple[str, str | None], float]],
) -> Finding | None:
    (a, of_a), (b, of_b) = one, other
    shared = sorted(set(of_a) & set(of_b) - {(THROUGHPUT, None)}, key=str)
    same = [m for m in shared if of_a[m] == of_b[m] and _digits(of_a[m]) >= _EXACT_DIGITS]
    apart = sorted((m for m in shared if of_a[m] != of_b[m]), key=lambda m: m[0] != "ttft_ms")
    if not same or not apart:
        return None  # one figure alike may be chance; all alike is a copy (`duplicates`)

    def said(metric: tuple[str, str | None], value: float, exact: bool = False) -> str:
        name, aggregate = metric
        unit = "req/s" if name == "requests_per_s" else ("ms" if name.endswith("_ms") else "")
        word = _WORDS.get(name, name)
        what = f"{aggregate} {word}" if aggregate else word
        number = f"{value:.12g}" if exact else fmt(value)  # every digit the files wrote
        return f"{what} {number}{' ' + unit if unit else ''}"

    figures = [
        KnownFigure(value=rate, unit="tok/s", metric=THROUGHPUT, statistic="mean",
                    kind=f"{THROUGHPUT} mean", context={"model": model},
                    source=f"finding: throughput the same in {a[2]} and {b[2]}")
    ]  # fmt: skip
    figures += [
        KnownFigure(value=v, unit="ms" if m[0].endswith("_ms") else "req/s", metric=m[0],
                    statistic=m[1] or "mean", kind=f"{m[0]} {m[1] or 'mean'}",
                    context={"model": model, "file": path},
                    source=f"finding: {m[0]} of {path}")
        for m in [*same, *apart[:2]]
        for path, v in ((a[2], of_a[m]), (b[2], of_b[m]))
    ]  # fmt: skip
    alike = ", ".join(said(m, of_a[m], exact=True) for m in same)
    differ = "; ".join(
        f"{said(m, of_a[m])} in {a[2]} against {fmt(of_b[m])} in {b[2]}" for m in apart[:2]
    )
    setups = f"both {a[0]}" if a[0] == b[0] else f"{a[0]} in the first, {b[0]} in the second"
    text = (
        f"{a[2]} and {b[2]} report a run of {model} with the same throughput to every digit "
        f"written, {rate:.12g} tok/s, and the same {alike} ({setups}), where "
        f"{'their figures differ' if len(apart) > 1 else 'one figure differs'}: {differ}. "
        "The figures that differ say these are two measurements, not one row read twice; "
        "yet rates alike to every digit are rare in two runs, and whether the rate was "
        "measured again or carried over from the other run the files do not say. Either way "
        "the pair shows no throughput difference between the two setups."
    )
    return Finding(
        id="",
        kind="duplicates",
        title="rates alike to every digit in two files",
        text=text,
        headline=(
            f"{model}: the same throughput, {rate:.12g} tok/s, to every digit in {a[2]} and {b[2]}"
        ),
        figures=figures,
        groups=[a[0], b[0]],
        sources=sorted({a[2], b[2]}),
        verdict="info",
        importance=18.0,
    )


def _repetitions(setups: Sequence[Measured]) -> list[tuple[str, Measured, object]]:
    """Groups of true repetitions: one setup on one workload (or with none recorded)."""
    groups = []
    for m in setups:
        if m.cells:
            for workload, metrics in m.cells.items():
                s = metrics.get(THROUGHPUT)
                if s is not None:
                    groups.append((f"{m.label} ({_prompt_words(workload)})", m, s))
        elif (s := m.metrics.get(THROUGHPUT)) is not None:
            groups.append((m.label, m, s))
    return groups


# A workload that is a whole prompt (ChimeraForge's agents' 400-character system prompts) is
# named by its first words: printed whole, three times, it buried the finding.
PROMPT_WORDS = 8


def _prompt_words(workload: str) -> str:
    words = workload.split()
    return workload if len(words) <= 2 * PROMPT_WORDS else " ".join(words[:PROMPT_WORDS]) + " ..."


def _label_words(label: str, m: Measured) -> str:
    """A group's label with its model as a sentence names it (`model_words`)."""
    if m.model and label.startswith(m.model):
        return model_words(m.model) + label[len(m.model) :]
    return label


def instability(setups: Sequence[Measured]) -> list[Finding]:
    """The least stable group of repetitions; every group above UNSTABLE_CV is named."""
    pool = [
        (label, m, s)
        for label, m, s in _repetitions(setups)
        if s.n >= 3 and s.std is not None and s.mean > 0  # type: ignore[attr-defined]
    ]
    if not pool:
        return []

    def cv(item: tuple) -> float:
        s = item[2]
        return (s.std or 0.0) / s.mean

    label, worst, s = max(pool, key=lambda item: (cv(item), item[0]))
    said = _label_words(label, worst)
    unstable = [item for item in pool if cv(item) > UNSTABLE_CV]
    share = 100.0 * cv((label, worst, s))
    cv_figure = KnownFigure(
        value=share, unit="%", metric=THROUGHPUT, statistic="cv", context=dict(worst.context),
        source=f"finding: tokens_per_s std / mean, {label}", kind="cv",
    )  # fmt: skip
    each = _runs_per_row(s)  # type: ignore[arg-type]
    if each:
        # means of several runs vary less than single runs: their spread is no run's
        text = (
            f"The least steady repetitions are {said}: {fmt(s.min)}-{fmt(s.max)} tok/s over "
            f"{s.n} rows, each a mean of {each} runs, a coefficient of variation of "
            f"{share:.1f} % between those means (not run to run: single runs spread wider "
            "than their means)"
        )
    else:
        text = (
            f"The least stable repetitions are {said}: {fmt(s.min)}-{fmt(s.max)} tok/s over "
            f"{s.n} runs, a coefficient of variation of {share:.1f} %"
        )
    if unstable:
        varying = named([_label_words(item[0], item[1]) for item in unstable], "more")
        text += (
            f"; {len(unstable)} of {len(pool)} groups of repetitions vary by more than "
            f"{100 * UNSTABLE_CV:.0f} % ({varying})"
        )
    else:
        groups = "the only group" if len(pool) == 1 else f"all {len(pool)} groups"
        verb = "varies" if len(pool) == 1 else "vary"
        text += f"; {groups} of repetitions {verb} by less than {100 * UNSTABLE_CV:.0f} %"
    text += "."
    rec = None
    if unstable and s.n < 10:
        rec = Recommendation(
            id="",
            text=(
                f"Repeat {label} on a quiet machine before trusting its mean (it has {s.n} "
                + (
                    f"rows, each a mean of {each} runs): its means vary by {share:.1f} %."
                    if each
                    else f"runs): its throughput varies by {share:.1f} % from run to run."
                )
            ),
            model=worst.model,
            figures=[cv_figure],
        )
    source = "finding: timed runs behind each row"
    per_row = [_count(float(each), "runs", source, dict(worst.context))] if each else []
    threshold = KnownFigure(
        value=100 * UNSTABLE_CV, unit="%", metric=THROUGHPUT, statistic="threshold",
        source="finding: the coefficient of variation above which runs count as unstable",
    )  # fmt: skip
    return [
        Finding(
            id="",
            kind="instability",
            title="stability of the rows' means" if each else "run-to-run stability",
            text=text,
            figures=[
                *per_row,
                worst.figure(THROUGHPUT, "min", value=s.min),
                worst.figure(THROUGHPUT, "max", value=s.max),
                worst.figure(THROUGHPUT, "n", value=float(s.n)),
                cv_figure,
                threshold,
            ],
            groups=[item[0] for item in (unstable or [(label, worst, s)])],
            sources=worst.sources,
            verdict="real" if unstable else "info",
            importance=40.0 if unstable else 12.0,
            recommendation=rec,
        )
    ]


def _runs_per_row(s: MetricStats) -> str:
    """'3' where every per-run row of the group is a mean of that many timed runs (its
    table's settings file says so), else ''."""
    if s.runs is None or s.aggregate is not None or s.runs <= s.n:
        return ""
    each = s.runs / s.n
    return f"{each:g}" if each.is_integer() else ""


def means_of_runs(digest: DataDigest) -> list[Finding]:
    """Tables whose every row is a mean of timed runs (num_iterations 3 in the settings file
    beside them), said once: a finding's n counts those rows, and their spread is between
    means, not run to run."""
    # each -> file -> (rows, runs), summed over the file's machines and engines
    by_each: dict[str, dict[str, tuple[int, int]]] = {}
    grouping = "file" if any(x.group_by == "file" for x in digest.stats) else None
    for x in digest.stats:
        if x.group_by != grouping or x.metric != THROUGHPUT:
            continue
        if each := _runs_per_row(x):
            label = x.group or named(x.sources, "more files")
            rows, runs = by_each.setdefault(each, {}).get(label, (0, 0))
            by_each[each][label] = (rows + x.n, runs + (x.runs or 0))
    out = []
    for each, of_file in sorted(by_each.items()):
        files = list(of_file.values())
        rows, runs = sum(f[0] for f in files), sum(f[1] for f in files)
        names = named(sorted(of_file), "more files")
        which = "1 file" if len(files) == 1 else f"{len(files)} files"
        source = "finding: rows that are means of runs"
        out.append(
            Finding(
                id="",
                kind="overview",
                title=f"rows that are means of {each} runs",
                text=(
                    f"Each row of {which} is the mean of {each} timed runs, as the settings "
                    f"file beside it states: the findings' n counts these rows ({rows} rows "
                    f"of throughput, {runs} runs), and the spread between them is between "
                    f"means of {each} runs, narrower than from run to run. The files: {names}."
                ),
                figures=[
                    _count(float(each), "runs", f"{source}: timed runs behind each row"),
                    _count(float(rows), "rows", f"{source}: rows of throughput"),
                    _count(float(runs), "runs", f"{source}: runs behind those rows"),
                    KnownFigure(
                        value=float(len(files)),
                        unit="files",
                        metric="files",
                        statistic="count",
                        source=f"{source}: files",
                    ),
                ],
                sources=sorted({s for x in digest.stats for s in x.sources if x.runs}),
                verdict="info",
                caveats=["rows are means of runs, not single runs"],
                importance=30.0,
            )
        )
    return out


def stated_means(digest: DataDigest) -> list[Finding]:
    """Files whose stated means are not the means of the runs beside them (the digest lists
    them as left out): each said as a finding, the runs being what the figures use."""
    out = []
    for d in digest.dropped:
        if not d.reason.startswith(STATED_MEAN_MISMATCH):
            continue
        detail = d.reason.removeprefix(STATED_MEAN_MISMATCH).lstrip(": ")
        rows = "1 row" if d.count == 1 else f"{d.count} rows"
        out.append(
            Finding(
                id="",
                kind="notes_vs_data",
                title=f"stated means against their runs in {d.path}",
                text=(
                    f"In {d.path}, {STATED_MEAN_MISMATCH} in {rows}: {detail}. A summary that "
                    "disagrees with its own runs says the script that wrote it computed "
                    "something else (other runs, or a bug): the figures here are the runs'."
                ),
                figures=[
                    # as the text quotes them: in the unit its metric's name hints at
                    KnownFigure(
                        value=m.value,
                        unit=m.unit or m.hint or "",
                        metric=None,
                        statistic="quoted",
                        context={"file": d.path},
                        source=f"finding: a stated mean and its runs' mean in {d.path}",
                    )
                    for m in find_figures(detail)
                ]
                + [_count(d.count, "rows", f"finding: rows in {d.path}", {"file": d.path})],
                sources=[d.path],
                verdict="real",
                caveats=["the file's own means disagree with its runs"],
                importance=50.0,
            )
        )
    return out
