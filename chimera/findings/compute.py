"""The computed analysis: every finding the data supports, most important first (no LLM).

`compute_findings` runs each rule over the digest (see the modules named below) and numbers
the findings F1, F2, ... by importance, and their recommendations R1, R2, ... in the same
order. It is a pure function of the digest, so a resumed run recomputes the same findings.
A rule that fails on some data is reported as a finding of its own, never fatal: the other
rules' findings stand.

    settings_effects   each setting within a model on one machine (others fixed), for
                       generation and prompt processing; nulls measured; one placement;
                       across models; best config; configs that differ only in name
    factors            machines and engines compared as such; sessions that disagree;
                       baseline against tuned
    model_comparison   models ranked per machine by throughput, prompt processing and TTFT;
                       quantisations
    run_health         void sessions, timeouts and failures; degenerate answers; rows that
                       loaded the model; warm-up requests; runs read twice; unstable
                       repetitions
    load_times         where every call loaded the model, its load time by setting
    notes              the notes' claims against the measurements
    reported           what summary files report for setups no run measured (no verdict);
                       a setting faster on every model, one value per setup; the engines
                       a summary reports, side by side; two levels of a setting, workload
                       by workload, where files report one figure a workload
    prompt_length      prompt-rate findings over prompts of a few tokens say so (a pass
                       over the others' findings)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from chimera.findings import (
    factors,
    load_times,
    measured,
    model_comparison,
    notes,
    prompt_length,
    reported,
    run_health,
    settings_effects,
)
from chimera.findings.finding import Finding, Recommendation
from chimera.findings.measured import THROUGHPUT, fmt
from chimera.grounding.known import KnownFigure
from chimera.ingest.digest.genai_perf import REASONING_COUNTED
from chimera.ingest.digest.models import DataDigest, MetricStats
from chimera.ingest.digest.units import OUTPUT_OVER_REQUEST, is_estimate


def _overview(digest: DataDigest) -> Finding | None:
    """Throughput over all rows: the one thing to say when nothing can be compared."""
    s = measured.overall(digest).get(THROUGHPUT)
    if s is None:
        return None

    def figure(statistic: str) -> KnownFigure:
        unit = "rows" if statistic == "n" else s.unit
        return KnownFigure(
            value=float(getattr(s, statistic)), unit=unit, metric=THROUGHPUT,
            statistic=statistic, kind=f"{THROUGHPUT} {statistic}",
            source=f"finding: {THROUGHPUT} {statistic}, all rows (column {s.column})",
        )  # fmt: skip

    # An input/output length sweep (trtllm-bench, llama-bench's tests) runs each workload
    # once: its rows are workloads, not repetitions, and their mean describes none of them.
    cells = [
        c for c in digest.stats
        if c.group_by == "model+config_name+workload" and c.metric == THROUGHPUT
        and c.aggregate is None and c.n > 0 and c.workload
    ]  # fmt: skip
    if len({c.workload for c in cells}) > 1:
        low, high = min(cells, key=lambda c: c.mean), max(cells, key=lambda c: c.mean)
        several_groups = len({c.group for c in cells}) > 1

        def where(c: MetricStats) -> str:
            return f"{c.workload}, {c.group}" if several_groups and c.group else f"{c.workload}"

        text = (
            f"Throughput over all {s.n} rows, of {len({c.workload for c in cells})} "
            f"workloads, runs from {fmt(low.mean)} tok/s ({where(low)}) to "
            f"{fmt(high.mean)} tok/s ({where(high)}); their mean ({fmt(s.mean)} tok/s, "
            f"median {fmt(s.median)}) pools different workloads and is the throughput of "
            "none of them."
        )
        caveats = ["the rows are different workloads, not repetitions"]
    else:
        text = (
            f"Mean throughput over {'the only row' if s.n == 1 else f'all {s.n} rows'} is "
            f"{fmt(s.mean)} tok/s (median "
            f"{fmt(s.median)}, min {fmt(s.min)}, max {fmt(s.max)} tok/s)."
        )
        caveats = []
    return Finding(
        id="",
        kind="overview",
        title="throughput over all rows",
        text=text,
        figures=[figure(stat) for stat in ("mean", "median", "min", "max", "n")],
        caveats=caveats,
        sources=list(s.sources),
        importance=5.0,
    )


def _conflicts(labels: list[str]) -> Finding:
    shown = ", ".join(labels[:3]) + (f" and {len(labels) - 3} more" if len(labels) > 3 else "")
    return Finding(
        id="",
        kind="overview",
        title="configs with two sets of settings",
        text=(
            f"Different files give different settings under the same config name for {shown}; "
            "their rows mix setups, so they are left out of every comparison."
        ),
        verdict="not comparable",
        caveats=["one config name, several sets of settings"],
        importance=30.0,
    )


def _sessions_not_checked(digest: DataDigest) -> Finding | None:
    """Comparing one setup's sessions (its files) needs each file's own statistics: above the
    digest's limit they are not computed, and the report says so rather than fall silent."""
    omitted = digest.file_stats_omitted
    if omitted is None:
        return None
    return Finding(
        id="",
        kind="overview",
        title="sessions not compared",
        text=(
            f"Sessions of one setup in different files were not compared: {omitted.files} "
            f"files hold metrics, more than the {omitted.max_files} files the digest keeps "
            "per-file statistics for; analyse a smaller folder (one model or one period) to "
            "see whether they disagree."
        ),
        figures=[
            KnownFigure(
                value=float(n), unit="files", metric="files", statistic="count", source=source
            )
            for n, source in (
                (omitted.files, "digest: files holding metrics"),
                (omitted.max_files, "digest: the most files given per-file statistics"),
            )
        ],
        verdict="not comparable",
        caveats=["per-file statistics left out"],
        importance=5.0,
    )


def _failed(rule: str, exc: Exception) -> Finding:
    return Finding(
        id="",
        kind="overview",
        title=f"{rule} not computed",
        text=(
            f"The {rule} could not be computed on this data ({type(exc).__name__}: "
            f"{' '.join(str(exc).split())[:160]}); the other findings stand. Please report it."
        ),
        verdict="not comparable",
        caveats=["a rule failed on this data"],
        importance=2.0,
    )


# Findings of one kind kept, the strongest first: a folder of a thousand models would give a
# thousand "best config" findings, and a report, a page and a figures check that grow with
# them. The rest are counted in one finding (`chimera findings DATA --all` lists them).
MAX_PER_KIND = 20
# The title of the finding that counts those left out: a note on the list, no fact of the data.
NOT_LISTED = "findings not listed"


def _capped(found: list[Finding], per_kind: int) -> list[Finding]:
    """`found` (strongest first) with at most `per_kind` of each kind, the rest counted."""
    kept: list[Finding] = []
    taken: Counter[str] = Counter()
    left: Counter[str] = Counter()
    for finding in found:
        if taken[finding.kind] < per_kind:
            taken[finding.kind] += 1
            kept.append(finding)
        else:
            left[finding.kind] += 1
    if left:
        counted = ", ".join(
            f"{n} {KIND_WORDS.get(kind) or kind.replace('_', ' ') + ' findings'}"
            for kind, n in left.items()
        )
        kept.append(
            Finding(
                id="",
                kind="overview",
                title=NOT_LISTED,
                text=(
                    f"{sum(left.values())} more findings are not listed ({counted}): each kind"
                    f" shows its {per_kind} strongest; chimera findings DATA --all lists"
                    " every one."
                ),
                verdict="info",
                caveats=["findings past the per-kind limit are counted, not shown"],
                importance=1.0,
            )
        )
    return kept


# How the count of findings left out names each kind (plural).
KIND_WORDS = {
    "setting_effect": "effects of a setting",
    "best_config": "best configs",
    "model_ranking": "rankings of models",
    "same_placement": "settings with one placement",
    "instability": "unstable groups",
    "reported": "reported figures",
    "notes_vs_data": "notes checked against the data",
    "quantization": "quantisation comparisons",
}


def compute_findings(digest: DataDigest, per_kind: int | None = MAX_PER_KIND) -> list[Finding]:
    """Every finding, numbered by importance (F1 first); [] when nothing was measured.
    At most `per_kind` of each kind (None: all of them), the rest counted in one finding."""
    setups = measured.setups(digest)
    models = measured.models(digest)
    found: list[Finding] = []

    def run(rule: str, compute: Callable[[], list[Finding]]) -> None:
        try:
            found.extend(compute())
        except Exception as exc:  # one rule's failure must not cost the others (or the run)
            found.append(_failed(rule, exc))

    generation, blocked = settings_effects.effects(setups, measured.THROUGHPUT)
    prompt, _ = settings_effects.effects(setups, measured.PROMPT_RATE)
    every_effect = [*generation, *prompt]
    machines = [sc.machine for sc in digest.scopes if sc.machine]
    run("ranking of models", lambda: model_comparison.rankings(models, setups, machines))
    run("effects of settings", lambda: [settings_effects.effect_finding(e) for e in every_effect])
    run("settings that cannot be separated",
        lambda: [settings_effects.blocked_finding(*b) for b in blocked])  # fmt: skip
    run("settings across models", lambda: settings_effects.across_models(every_effect))
    run("configs differing only in name", lambda: settings_effects.named_only(setups))
    measured_in = measured.file_metrics(digest)
    run("best configs", lambda: settings_effects.best_configs(setups, generation, measured_in))
    run("machine comparison", lambda: factors.scope_comparisons(setups, "machine"))
    run("engine comparison", lambda: factors.scope_comparisons(setups, "engine"))
    run("GPU against CPU mode", lambda: factors.devices(setups))
    run("sessions", lambda: factors.sessions(digest, setups))
    run("baseline against tuned", lambda: factors.baselines(setups, measured_in))
    run("quantisations", lambda: model_comparison.quantization(models, setups))
    run("failed rows", lambda: run_health.errors(digest))
    run("degenerate answers", lambda: run_health.degenerate(digest))
    run("rows where some requests failed", lambda: run_health.some_requests_failed(digest))
    run("figures that count reasoning tokens", lambda: run_health.reasoning_counted(digest))
    run("overloaded serving runs", lambda: run_health.overloaded(digest))
    run("rows that loaded the model", lambda: run_health.cold_rows(digest))
    run("warm-up requests", lambda: run_health.warm_ups(digest))
    run("load times", lambda: load_times.load_times(digest, setups))
    run("runs read twice", lambda: run_health.duplicates(digest))
    run("runs restated in two files", lambda: run_health.restated_runs(digest))
    run("stability", lambda: run_health.instability(setups))
    run("rows that are means of runs", lambda: run_health.means_of_runs(digest))
    run("stated means against their runs", lambda: run_health.stated_means(digest))
    run("notes against the data",
        lambda: notes.notes_against_data(digest.note_claims, every_effect, setups,
                                         measured.model_files(digest)))  # fmt: skip
    run("reported figures", lambda: reported.reported(digest))
    run("reported figures by workload", lambda: reported.reported_by_workload(digest))
    run("engines side by side", lambda: reported.engines_side_by_side(digest))
    run("machines side by side", lambda: reported.machines_side_by_side(digest))
    run("models side by side", lambda: reported.models_side_by_side(digest))
    run("files that disagree on a setup", lambda: reported.reported_sessions(digest))
    run("settings across models, one value each",
        lambda: reported.setting_across_models(digest))  # fmt: skip
    found = reported.drop_restated(found)
    found = prompt_length.caveat_short_prompts(found, setups)
    found = factors.flag_pooled_sessions(found)
    found = _estimated_rates(found, digest)
    if digest.conflicting_setups:
        found.append(_conflicts(digest.conflicting_setups))
    if (unchecked := _sessions_not_checked(digest)) is not None:
        found.append(unchecked)
    comparing = ("model_ranking", "setting_effect", "best_config", "machine_comparison")
    if not any(f.kind in comparing for f in found):
        overview = _overview(digest)
        if overview is not None:
            found.append(overview)
    found = _reasoning_counted(found, digest)  # the overview's pooled mean too
    found = _rates_over_requests(found, digest)  # and this
    found.sort(key=lambda f: (-f.importance, f.kind, f.title))
    if per_kind is not None:
        found = _capped(found, per_kind)
    numbered: list[Finding] = []
    recs = 0
    for i, finding in enumerate(found, start=1):
        fid = f"F{i}"
        rec = finding.recommendation
        if rec is not None:
            recs += 1
            rec = rec.model_copy(update={"id": f"R{recs}", "finding_ids": [fid]})
        numbered.append(finding.model_copy(update={"id": fid, "recommendation": rec}))
    return numbered


# A note a finding's text gets for the files it quotes: (the finding, its sources the note is
# of, its other sources) -> the fields to update (text and caveats), None to leave it as it is.
_FileNote = Callable[[Finding, list[str], list[str]], dict[str, object] | None]


def _noted_of_files(
    found: list[Finding], paths: list[str], metrics: tuple[str, ...], note: _FileNote
) -> list[Finding]:
    """`found` with `note` applied to each finding that quotes a figure of `metrics` and has
    one of `paths` among its sources; the others as they are."""
    out = []
    for f in found:
        hit = [p for p in paths if p in f.sources]
        if not hit or not any(fig.metric in metrics for fig in f.figures):
            out.append(f)
            continue
        others = [p for p in f.sources if p not in hit]
        update = note(f, hit, others)
        out.append(f if update is None else f.model_copy(update=update))
    return out


def _estimated_rates(found: list[Finding], digest: DataDigest) -> list[Finding]:
    """Findings quoting a rate that estimates tokens from characters (h2oGPT's "tokens/sec",
    a quarter of its output's characters a second) say so: it is no count of tokens, and
    compares only with rates estimated the same way, never with another tool's."""

    def note(f: Finding, hit: list[str], others: list[str]) -> dict[str, object]:
        files = " and ".join(hit)
        words = (
            f"The tok/s of {files} is an estimate, a quarter of the output's characters a "
            "second: no token was counted"
        )
        words += (
            f", so its comparison with {', '.join(others)} does not hold."
            if others
            else "; compare it only with rates estimated the same way."
        )
        return {
            "text": f"{f.text} {words}",
            "caveats": [*f.caveats, f"tok/s of {files} estimated from characters"],
        }

    estimated = sorted({n.path for n in digest.unit_notes if is_estimate(n)})
    return _noted_of_files(found, estimated, (THROUGHPUT,), note)


def _rates_over_requests(found: list[Finding], digest: DataDigest) -> list[Finding]:
    """Findings quoting a throughput that is output tokens over the whole request's time
    (`units.whole_request_rates`: tedsluis' "Response Tok/s", eval_count / total_duration)
    say so: the model's load and the prompt's evaluation are in it, so it understates the
    generation rate, most on short answers and on a request that loaded the model."""

    def note(f: Finding, hit: list[str], others: list[str]) -> dict[str, object]:
        files = " and ".join(hit)
        words = (
            f"The tok/s of {files} is each answer's tokens over its whole request (the "
            "model's load and the prompt's evaluation included), not the generation rate: it "
            "understates that rate, most on short answers and on a request that loaded the model."
        )
        return {
            "text": f"{f.text} {words}",
            "caveats": [*f.caveats, f"tok/s of {files} over the whole request"],
        }

    spanning = sorted({n.path for n in digest.unit_notes if n.unit == OUTPUT_OVER_REQUEST})
    return _noted_of_files(found, spanning, (THROUGHPUT,), note)


def _reasoning_counted(found: list[Finding], digest: DataDigest) -> list[Finding]:
    """Findings quoting a throughput or TTFT that counts a reasoning model's reasoning tokens
    (AIPerf's, `genai_perf.reasoning_notes`) say what it counts: beside another file's
    figures (GenAI-Perf's, counting the answer's tokens only) they are no like-for-like
    comparison, nor one metric to pool, and the finding is no longer "real"."""
    counting: dict[str, list[str]] = {}
    for n in digest.unit_notes:
        if REASONING_COUNTED in n.unit:
            counting.setdefault(n.path, []).append(n.reason)

    def note(f: Finding, hit: list[str], others: list[str]) -> dict[str, object] | None:
        if f.title == run_health.REASONING_TITLE:  # says it already
            return None
        files = " and ".join(hit)
        why = "; ".join(dict.fromkeys(r for p in hit for r in counting[p]))
        words = f"The output throughput and TTFT of {files} count the reasoning tokens ({why})"
        words += (
            f", where a tool taking the answer's tokens only (GenAI-Perf) counts fewer tokens "
            f"and a later first token: its comparison with {', '.join(others)} is not like for "
            "like unless they count the reasoning too."
            if others
            else "; compare them only with figures counting the reasoning tokens too."
        )
        update: dict[str, object] = {
            "text": f"{f.text} {words}",
            "caveats": [*f.caveats, f"reasoning tokens counted in {files}"],
        }
        if others and f.verdict == "real":
            update["verdict"] = "info"
        return update

    return _noted_of_files(found, list(counting), (THROUGHPUT, "ttft_ms"), note)


def recommendations(findings: list[Finding]) -> list[Recommendation]:
    """The findings' recommendations, in the findings' order."""
    return [f.recommendation for f in findings if f.recommendation is not None]
