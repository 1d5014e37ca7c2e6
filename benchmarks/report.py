"""Render docs/benchmarks.md from run_all's figures: tables, goals, and what the figures mean.

Sentences that state a figure are computed from the figures of the run being written, so
the page stays true when it is regenerated. The "Investigation" section records what was
profiled and changed while these benchmarks were built (dated, measured then); edit it here
when the code it describes changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bench_concurrency
import bench_ingest
import bench_overhead
from _common import fmt, median

GOAL_WALK_RATIO = bench_ingest.GOAL_WALK_RATIO


def write_docs(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results), encoding="utf-8")


def render(results: dict[str, Any]) -> str:
    parts = [
        _header(results),
        _goals(results),
        _concurrency(results.get("concurrency")),
        _overhead(results.get("overhead")),
        _ingest(results.get("ingest")),
        _embedded(results.get("embedded")),
        INVESTIGATION,
        REPRODUCE,
    ]
    return "\n\n".join(p.strip() for p in parts if p) + "\n"


def _ok(section: dict[str, Any] | None) -> bool:
    return bool(section) and str(section.get("status", "")).startswith("ok")


def _not_run(title: str, section: dict[str, Any] | None) -> str:
    reason = (section or {}).get("reason", "not run in this invocation")
    return f"{title}\n\n_Not available: {reason}._"


def _loads(section: dict[str, Any]) -> str:
    before, after = section.get("load_avg_before"), section.get("load_avg_after")
    took = section.get("elapsed_s")
    text = f"load average {before[0]:.2f} before, {after[0]:.2f} after" if before and after else ""
    return f"{text}; took {took / 60:.1f} min" if took else text


# --- header and goals --------------------------------------------------------------------


def _header(results: dict[str, Any]) -> str:
    meta = results["meta"]
    m = meta["machine"]
    smoke = " (SMOKE RUN: tiny sizes, figures not meaningful)" if meta.get("smoke") else ""
    versions = ", ".join(f"{k} {v}" for k, v in m.get("versions", {}).items())
    lscpu = "\n".join(m.get("lscpu_head", []))
    free = "\n".join(m.get("free_h", []))
    return f"""
# Chimera benchmarks{smoke}

Chimera measures LLM agents, so its own cost is measured too. Every figure below is a ratio
or a comparison of things measured side by side, in the same run, on the same machine.
This page is generated: do not edit it by hand; the prose lives in `benchmarks/report.py`.

- **Command:** `{meta["command"]}` (from the repository root; {meta.get("total_s", 0) / 60:.1f}
  min in all)
- **Date:** {m["date_utc"]}
- **Machine:** `nproc` = {m["nproc"]}, {m.get("cpu_model", "")}; Python {m["python"]};
  {m["platform"]}
- **Packages:** {versions}
- **Shared machine:** other work ran on this machine meanwhile (the load average is given
  per benchmark); that is why every comparison is interleaved or side by side.

<details><summary><code>lscpu | head</code> and <code>free -h</code></summary>

```
{lscpu}
```

```
{free}
```

</details>
"""


def _goal_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    conc = results.get("concurrency")
    if _ok(conc):
        for key, g in conc["goals"].items():
            layout, n = key.rsplit("_n", 1)
            rows.append(
                (
                    f"1. Concurrency, N={n}, {layout} server(s)",
                    f">= {g['target_pct']:g} % efficiency",
                    f"{g['measured_pct']:.2f} %",
                    _status(g["met"]),
                )
            )
    over = results.get("overhead")
    if _ok(over):
        labels = {
            "overhead_le_30ms": "2. Overhead per run, as a comparison runs it",
            "overhead_le_30ms_one_off": "2. Overhead of a one-off run",
            "overhead_le_30ms_with_sqlite": "2. Overhead of a one-off run with SQLite checkpoints",
            "overhead_le_30ms_without_verify": "2. Overhead per run, without the verify node",
            "overhead_within_10pct_of_hand": "2. Overhead vs hand-written pipeline",
            "overhead_one_off_within_10pct_of_hand": "2. One-off overhead vs hand-written",
            "wall_within_10pct_of_hand": "2. One-off whole-run wall vs hand-written (instant)",
            "realistic_wall_within_10pct_of_hand": "2. Whole-run wall vs hand-written (realistic)",
        }
        for key, g in over["goals"].items():
            unit = " ms" if g["unit"] == "ms" else "x"
            rows.append(
                (
                    labels.get(key, key),
                    f"<= {g['target']:g}{unit}",
                    f"{g['measured']:.3g}{unit}",
                    _status(g["met"]),
                )
            )
    ing = results.get("ingest")
    if _ok(ing):
        g = ing["goals"]
        if "inventory_within_3x_walk" in g:
            x = g["inventory_within_3x_walk"]
            rows.append(
                (
                    f"3. Inventory of {x['files']:,} files vs bare scandir walk",
                    "<= 3x",
                    f"{x['measured_ratio']:.1f}x ({x['measured_ratio_to_walk_stat']:.2f}x "
                    "walk+stat)",
                    _status(x["met"]),
                )
            )
        for mode in ("inventory", "digest"):
            if f"{mode}_linear" in g:
                x = g[f"{mode}_linear"]
                per = ", ".join(f"{fmt(v, 1)}" for v in x["us_per_file"].values())
                sizes = "/".join(f"{int(k) // 1000}k" for k in x["us_per_file"])
                rows.append(
                    (
                        f"3. {mode.capitalize()} cost linear in files ({sizes})",
                        "per-file cost flat: <= 1.5x growth",
                        f"x{x['growth_smallest_to_largest']:.2f} (median {per} us/file)",
                        _status(x["met"]),
                    )
                )
        if "peak_under_1gb_with_big_csv" in g:
            x = g["peak_under_1gb_with_big_csv"]
            rows.append(
                (
                    "3. Peak memory with the 2 GB CSV",
                    "< 1 GB",
                    f"{x['measured_mb']:.0f} MB",
                    _status(x["met"]),
                )
            )
    emb = results.get("embedded")
    if _ok(emb) and "summary" in emb:
        ratio = emb["summary"]["ratio_tok_s"]
        rows.append(
            (
                "4. Embedded tok/s, Chimera / raw llama-cpp-python",
                ">= 0.95",
                f"{ratio:.3f}",
                _status(ratio >= 0.95),
            )
        )
    return rows


def _status(met: bool) -> str:
    return "met" if met else "**missed**"


def _goals(results: dict[str, Any]) -> str:
    lines = [
        "## Goals at a glance",
        "",
        "| benchmark | goal | measured | status |",
        "|---|---|---:|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in _goal_rows(results)]
    lines += [
        "",
        "Where a goal is missed, its section says why, from measurements; the "
        "[investigation](#investigation-profiling-and-fixes) lists what was profiled and "
        "changed.",
    ]
    return "\n".join(lines)


# --- 1. concurrency ----------------------------------------------------------------------


def _allowed_lost_s(row: dict[str, Any], efficiency: float) -> float:
    """Lost time per extra agent at which a run of this length reaches `efficiency`.

    efficiency = N * solo / (N * (solo + lost)) for equal agents, so lost = solo (1/E - 1),
    spread over the N - 1 agents that each add their share.
    """
    solo = row["solo_wall_sum_s"] / row["n"]
    return solo * (1 / efficiency - 1) / max(row["n"] - 1, 1)


def _loss_per_extra_s(row: dict[str, Any]) -> float:
    """(concurrent wall - mean solo wall) / (N - 1): the loss the efficiency figure counts."""
    return (row["concurrent_wall_s"] - row["solo_wall_sum_s"] / row["n"]) / (row["n"] - 1)


def _concurrency(section: dict[str, Any] | None) -> str:
    title = "## 1. Concurrency efficiency"
    if not _ok(section):
        return _not_run(title, section)
    s = section["settings"]
    all_rows = section["rows"]
    rows = [r for r in all_rows if r.get("ingest") == "shared"]
    per_run = {r["n"]: r for r in all_rows if r.get("ingest") == "per run"}
    table = bench_concurrency.table(section)
    cpu = bench_concurrency.cpu_per_run(section)
    by = {(r["layout"], r["n"]): r for r in rows}
    n_max = max(s["counts"])
    layouts = s["layouts"]
    effs = "; ".join(
        f"{layout}: "
        + ", ".join(f"N={n} {by[(layout, n)]['efficiency_pct']:.1f} %" for n in s["counts"])
        for layout in layouts
    )
    per_extra = {
        n: median([_loss_per_extra_s(by[(layout, n)]) for layout in layouts])
        for n in s["counts"]
        if n > 1
    }
    worst = by[(layouts[0], n_max)]
    stretch_ms = (worst["concurrent_llm_s"] - worst["solo_llm_s"]) * 1000
    before_after = ""
    if per_run:
        pairs = ", ".join(
            f"N={n} {r['efficiency_pct']:.1f} % with per-run ingest against "
            f"{by[(layouts[0], n)]['efficiency_pct']:.1f} % shared"
            for n, r in sorted(per_run.items())
            if (layouts[0], n) in by
        )
        before_after = (
            f" The `per run` rows are the before/after, measured in the same invocation: "
            f"every run digests the folder itself, as every run did before the cache ({pairs}). "
            f"There, {n_max} digests at once queue for the interpreter: the ingest node takes "
            f"{fmt(per_run[max(per_run)]['solo_ingest_s'] * 1000, 0)} ms solo and "
            f"{fmt(per_run[max(per_run)]['concurrent_ingest_s'] * 1000, 0)} ms together."
            if max(per_run) in per_run
            else ""
        )
    long = section.get("long_calls")
    long_text = ""
    if long:
        long_text = (
            f" With model-like call lengths ({long['call_s']:g} s a call, the last row) the "
            f"remaining CPU is a small share of a run: N={long['n']} reaches "
            f"**{long['efficiency_pct']:.2f} %** (speedup {long['speedup']:.3f}). The study "
            "this project grew from measured 80-86 % (its Python harness), 99.2 % (Rust) and "
            "99.25 % (best configuration) for two agents."
        )
    need = {
        n: _allowed_lost_s(by[(layouts[0], n)], target / 100) * 1000
        for n, target in bench_concurrency.GOALS.items()
        if (layouts[0], n) in by
    }
    need_text = " and ".join(
        f"{bench_concurrency.GOALS[n]:g} % at N={n} allows ~{ms:.0f} ms"
        for n, ms in sorted(need.items())
    )
    met = all(g["met"] for g in section["goals"].values())
    verdict = (
        "Both goals are met in this run."
        if met
        else "Where a goal is missed, the rest of the gap is that per-chunk and per-step "
        "CPU: on two cores with one interpreter, the agents' Python runs one agent at a time."
    )
    cpu_text = ", ".join(f"{ms * 1000:.0f} ms with {mode} ingest" for mode, ms in cpu.items())
    measured = " and ".join(
        f"{per_extra[n] * 1000:.0f} ms at N={n}" for n in sorted({2, n_max}) if n in per_extra
    )
    return f"""
{title}

N agents run their **full graphs** (ingest, analyst, writer, verify) at once with
`asyncio.gather(execute(...))`, each with its own `OllamaBackend`, against stub Ollama
servers that stream {s["tokens_per_call"]} tokens {s["token_delay_s"] * 1000:g} ms apart
(a {s["call_s"]:g} s call, two calls a run). Layouts: one server for all agents
(`shared`) or one per agent (`per-agent`); each server is its own process, as an Ollama
would be. The runs share one `IngestCache`, filled by a warm-up run before the timed runs
(so the one-time digest, ~0.2 s, is in no row), and each agent's graph is compiled once, as
in `chimera compare` (`ingest` = `shared`); the `per run` rows leave both out. Each repetition
runs the same N agents one at a time (solo), then together; alternate repetitions reverse
that order. Speedup = sum of solo walls / concurrent wall
(`chimera.stats.concurrency_figures`, as `chimera compare` reports it); efficiency =
speedup / N. Data: `{Path(s["data_dir"]).relative_to(Path(s["data_dir"]).parents[1])}`
(the bundled example, 26 files). {_loads(section)}.

{table.markdown()}

{_notes(table)}

**What the figures say.** {effs}. Every stub server had all of its agents' requests in
flight at once (`peak/server`), so the servers are not the limit.{before_after}

**Where the rest goes.** Each extra agent adds
{", ".join(f"{v * 1000:.0f} ms (N={n})" for n, v in per_extra.items())} to the concurrent
wall (concurrent wall - mean solo wall, over N - 1; medians of both layouts). A run
still needs CPU in the agents' process ({cpu_text}; process time over the solo runs), and
one interpreter runs one agent's Python at a time. Most of it is per streamed chunk: every
token arrives as its own HTTP chunk and passes through httpx, the ollama client and
LangChain; with {n_max} agents streaming from one schedule, their chunks arrive in the same
instants and are handled one after the other, so a run's two model calls take
{stretch_ms:.0f} ms longer than alone (`model s` columns). The rest is the work between
calls (LangGraph's steps, prompts, the verify node), which all agents also reach in the
same instants.{long_text}

**What the goals take.** With runs of this length, {need_text} of loss per extra agent;
measured is {measured}. {verdict}
"""


def _notes(table: Any) -> str:
    return "\n".join(f"- {n}" for n in table.notes)


# --- 2. overhead -------------------------------------------------------------------------


def _overhead(section: dict[str, Any] | None) -> str:
    title = "## 2. Orchestration overhead"
    if not _ok(section):
        return _not_run(title, section)
    s, c, rows = section["settings"], section["comparison"], section["rows"]
    table = bench_overhead.table(section)
    ch, hand, sq = rows["chimera"], rows["hand-written"], rows["chimera+sqlite"]
    one = rows["chimera one-off"]
    real = s["realistic"]
    bare = rows["chimera-no-verify"]["overhead_ms"]
    goals = section["goals"]

    def verdict(key: str) -> str:
        return "meets" if goals[key]["met"] else "misses"

    return f"""
{title}

Overhead = a run's wall time - the time inside its model calls (each timed around the
streaming call, as `CallMetrics.wall_ms`) - ingest. The stub answers instantly with 3
tokens, so the rest is framework. Pipelines, interleaved in rotating order, {s["reps"]} runs
each, same server, same data (`examples/data`), prompts of the same size
({", ".join(f"{k} {v:,} chars" for k, v in s["prompt_chars"].items())}):

- `chimera`: `execute(...)` as `chimera compare` calls it, one `IngestCache` and one
  compiled graph for all its runs;
- `chimera one-off`: `execute(...)` alone, as a single `chimera run`: a fresh cache, so the
  folder is digested and its known figures prepared inside the ingest node (not counted as
  overhead), and the graph compiled for the run;
- `chimera+sqlite`: the one-off run inside `sqlite_checkpointer(...)` on a fresh file, as
  `arun` writes a run folder;
- `hand-written`: a plain LangGraph `StateGraph` with three async nodes (ingest with the
  same `ingest_folder`, analyst, writer) and `ChatOllama`, compiled once, sending Chimera's
  exact prompt texts; it fits nothing to the context window, measures nothing, checks nothing;
- `chimera-no-verify` (derived, not run): the `chimera` samples minus their verify node's
  time (verify needs no LLM; it traces every figure the model wrote back to the data), the
  like-for-like figure against hand-written.

Columns `verify`, `in nodes` (analyst + writer time beyond their model calls: prompt
fitting, ChatOllama look-up) and `outside nodes` (graph compile for one-off runs,
LangGraph's steps, checkpoint writes, the RunResult) add up to Chimera's overhead.
{_loads(section)}.

{table.markdown()}

{_notes(table)}

**What the figures say.** As a comparison runs it, Chimera's overhead is
{fmt(ch["overhead_ms"])} ms a run (verify {fmt(ch["verify_ms"])} ms of it); without verify,
{fmt(bare)} ms against the hand-written pipeline's {fmt(hand["overhead_ms"])} ms
(x{c["overhead_ratio_no_verify_vs_hand"]:.2f}). With verify it is
x{c["overhead_ratio_vs_hand"]:.2f} of hand-written, which {verdict("overhead_within_10pct_of_hand")}
the 10 % goal: the difference is the work a bare pipeline does not do (tracing every figure,
checking the persona's sections, per-call metrics). A one-off run costs
{fmt(one["overhead_ms"])} ms ({verdict("overhead_le_30ms_one_off")} the 30 ms goal): it
compiles its graph and renders the digest for each prompt, work a comparison does once.
`arun`'s SQLite checkpoints add {fmt(c["sqlite_extra_ms"])} ms of overhead
({fmt(sq["overhead_ms"])} ms in all, {verdict("overhead_le_30ms_with_sqlite")} the goal) and
{fmt(sq["wall_ms"] - one["wall_ms"])} ms of wall: LangGraph writes checkpoints
while the next node runs, so part of their cost shows in the model and ingest columns. They
are opening and setting up the file (~4 ms), then LangGraph writing the whole state, digest
included, through aiosqlite's thread after every step. In a realistic run (stub with
~{real["first_token_delay_s"]:g} s to first token and {real["tokens"]} tokens
{real["token_delay_s"] * 1000:g} ms apart per call, {c["realistic_wall_ms"] / 1000:.1f} s in
all) the comparison overhead is {c["share_of_realistic_pct"]:.2f} % of the run
({c["share_of_realistic_sqlite_pct"]:.2f} % with SQLite), and Chimera's wall is
x{c["realistic_wall_ratio_vs_hand"]:.3f} of the hand-written pipeline's, measured side by side
(a one-off run: both digest the folder every time; {real["reps"]} run each, as each takes
~15 s).
"""


# --- 3. ingest ---------------------------------------------------------------------------


def _ingest(section: dict[str, Any] | None) -> str:
    title = "## 3. Ingest scaling"
    if not _ok(section):
        return _not_run(title, section)
    s, g = section["settings"], section["goals"]
    table = bench_ingest.table(section)
    rows = [r for r in section["rows"] if "wall_s" in r]
    inv = {r["files"]: r for r in rows if r["mode"] == "inventory"}
    dig = {r["files"]: r for r in rows if r["mode"] == "digest"}
    largest = max(s["sizes"])
    text = []
    if largest in inv:
        r = inv[largest]
        floor = r["walk_stat_s"] / r["walk_s"]
        text.append(
            f"The inventory of {largest:,} files takes {r['wall_s']:.2f} s: "
            f"{r['ratio_to_walk']:.1f}x the bare walk, {r['ratio_to_walk_stat']:.2f}x the walk "
            "with one `lstat` per file. "
            + (
                f"The 3x goal is below the floor on this machine: the `lstat` calls alone make "
                f"the walk {floor:.1f}x slower (a virtual machine's syscalls are slow), and an "
                "inventory must stat every file for its size and modification time. "
                if floor > GOAL_WALK_RATIO
                else f"The `lstat` calls alone make the walk {floor:.1f}x slower. "
            )
            + "Beyond the stat, the cost per file is the pydantic `FileEntry` (~4.5 us), the "
            "walk loop, and at 100k files the collector's passes over the growing list."
        )
    if len(inv) >= 2:
        per = ", ".join(
            f"{n:,}: {inv[n]['us_per_file']:.1f}" for n in sorted(inv) if n in s["sizes"]
        )
        text.append(f"Inventory us per file by folder size: {per}.")
    if "inventory_linear" in g:
        lin = g["inventory_linear"]
        text.append(
            "Growth is judged on each size's fastest repetition (load only ever adds time): "
            f"x{lin['growth_smallest_to_largest']:.2f} from the smallest to the largest folder; "
            f"on medians, x{lin['median_growth_smallest_to_largest']:.2f}."
        )
    if dig:
        per = ", ".join(
            f"{n:,}: {dig[n]['us_per_file'] / 1000:.2f}" for n in sorted(dig) if n in s["sizes"]
        )
        text.append(
            f"The full digest reads and parses every file: ms per file by folder size: {per}. "
            "Most of it is pandas per small file (two `read_csv` calls per CSV, a DataFrame "
            "per JSON) and the statistics per group (see the investigation)."
        )
    if largest in dig:
        r = dig[largest]
        text.append(
            f"At {largest:,} files the digest peaks at {r['peak_rss_mb']:,.0f} MB, holding "
            f"{r['stats']:,} statistics over {r['rows']:,} rows. Per-file statistics are "
            "left out above 200 files (`MAX_FILES_FOR_FILE_STATS` in `chimera/digest.py`; the "
            "digest says so in a line that is never cut), so the statistics grow with models "
            "and configs, not files. Before that cap, the 2026-11-25 19:52 run measured "
            "1,282 MB and 421,946 statistics at 100,000 files."
        )
    big = [r for r in rows if r["files"] == s["big_with_files"] + 1]
    if big and "peak_under_1gb_with_big_csv" in g:
        d = next((r for r in big if r["mode"] == "digest"), None)
        part = (d or {}).get("partial") or []
        read = (
            f"; only its first {part[0]['rows_read']:,} rows are read "
            f"(`max_file_mb` = {part[0]['max_file_mb']:g}), in chunks, so memory stays flat"
            if part
            else ""
        )
        text.append(
            f"With the {s['big_csv_bytes'] / 2**30:g} GB CSV present, peak memory is "
            f"{g['peak_under_1gb_with_big_csv']['measured_mb']:.0f} MB{read} (the MB/s of that "
            "row counts the whole file, so it is not a read rate)."
        )
    gen = ", ".join(f"{k} {v:.1f} s" for k, v in s.get("generation_s", {}).items())
    return f"""
{title}

Generated folders (`benchmarks/datagen.py`, in a temp dir deleted afterwards): {s["mix"]},
at most {s["files_per_folder"]} files per folder, file names carrying the model
(`gemma3_4b_run_000123.csv`); plus {s["big_with_files"]:,} such files and one
{s["big_csv_bytes"] / 2**30:g} GB CSV of metric rows (a 1 MB block written repeatedly).
Generation took {gen}. Each (folder, measure) runs in a fresh subprocess: its peak RSS
(VmHWM) is that measure's own, including the interpreter and pandas (about 80 MB after
imports). Inside it the measure alternates with a bare `os.scandir` walk (no stat) and a
walk with one `lstat` per file, on a warm cache; the table shows medians and ratios.
{_loads(section)}.

{table.markdown()}

{_notes(table)}

**What the figures say.** {" ".join(text)}
"""


# --- 4. embedded -------------------------------------------------------------------------


def _embedded(section: dict[str, Any] | None) -> str:
    title = "## 4. Embedded throughput"
    if not section or section.get("status") == "missing" or "summary" not in section:
        reason = (section or {}).get("reason", "not run in this invocation")
        return f"""
{title}

<!-- SLOT: embedded throughput (benchmarks/bench_embedded.py, a colleague's benchmark) -->
_Not available: {reason}._ When `benchmarks/bench_embedded.py` accepts `--smoke` and
`--json`, `run_all.py` runs it and its table appears here.
"""
    s, summ = section["settings"], section["summary"]
    lines = [
        "| side | decode tok/s | TTFT ms | wall ms | tokens |",
        "|---|---:|---:|---:|---:|",
    ]
    for side in ("chimera", "raw", "raw-generate"):
        if side in summ:
            r = summ[side]
            lines.append(
                f"| {side} | {r['decode_tok_s']:.2f} | {r['ttft_ms']:.1f} | {r['wall_ms']:.0f} "
                f"| {r['tokens']:.0f} |"
            )
    warn = ""
    if section.get("mismatches"):
        warn = "\n\nWarnings from the benchmark: " + "; ".join(section["mismatches"])
    return f"""
{title}

From `benchmarks/bench_embedded.py` (a colleague's benchmark, run by `run_all.py`):
Chimera's embedded backend through `measured_call` against raw llama-cpp-python
(`create_chat_completion` streaming, and a bare `generate` loop) on the same GGUF
(`{Path(s["model"]).name}`), greedy, {s["tokens"]} tokens x {s["reps"]} interleaved
repetitions, {s["threads"]} threads, n_ctx {s["n_ctx"]}, llama-cpp-python
{s["llama_cpp_python"]}. Medians. {_loads(section)}.

{chr(10).join(lines)}

- tok/s ratio Chimera / raw: **{summ["ratio_tok_s"]:.3f}** (goal >= 0.95); Chimera /
  bare generate: {summ["ratio_tok_s_vs_generate"]:.3f}
- TTFT ratio raw / Chimera: {summ["ratio_ttft"]:.3f}
- Chimera's own reported throughput (llama.cpp's decode timer):
  {summ["chimera_reported_tok_s"]:.2f} tok/s{warn}
"""


# --- fixed text --------------------------------------------------------------------------

INVESTIGATION = """
## Investigation: profiling and fixes

Recorded while these benchmarks were built (2026-11-25, same machine; pyinstrument,
cProfile and py-spy, installed for the investigation only). Figures here were measured
then, interleaved like the benchmarks, and are not regenerated; "before" figures come from
the first full run of this page (2026-11-25 19:52 UTC, same command).

**Fixed, first round: package versions looked up on every run** (`chimera/runner.py`).
`package_versions()` asked `importlib.metadata` for seven distributions on every run, each
lookup scanning `sys.path` (4.2 ms a call, up to 14 ms under load); it is now computed once
per process. Overhead per run, 40 interleaved runs each: 64.6 ms before, 56.3 ms after.

**Fixed, second round (after the 19:52 run missed the concurrency and overhead goals):**

- *One ingest per folder state for a batch of runs* (`chimera/ingest_cache.py`). py-spy
  (`--gil`, 8 agents, 1 s calls) put 44 % of the GIL-holding samples in ingest: every agent
  digested the same folder with pandas at the same moment. Now the runs of a batch share an
  `IngestCache`: each run still walks the folder (one `stat` per file) and reuses the
  digest, highlights and prepared known figures while paths, sizes, modification times and
  reading options are unchanged; runs that start together wait for one digest.
  `chimera compare` digests the folder before its first repetition, so no run pays for it.
  Concurrency, shared server, same settings: **N=2 90.65 % before, 99.38 % after; N=8
  58.12 % before, 96.02 % after** (first measurement after the change, 3 repetitions). The
  `per run` rows of the table above re-measure the "before" in every run of this page.
  Run to run, on this shared machine: two full runs of this page 35 minutes apart (21:01
  and 21:36 UTC) measured N=2 at 99.36 / 99.65 % and 99.19 / 99.37 % (shared / per-agent
  servers), N=8 at 95.19 / 94.95 % and 93.10 / 92.42 %.
- *Verify prepared its known figures on every run* (`chimera/figures.py`). ~1,500 figures
  were built, deduplicated, unit-normalised and sorted per run. `KnownFigures` now does that
  once per digest (in the cache), and a run adds its own figures (metrics, counts, settings)
  as a small layer; `canonical_unit` is memoised. **Verify node: 32.0 ms in the 19:52 run,
  3.9 ms in the 21:01 run** (2.5 ms in quieter interleaved runs). Provenance now names
  three files of a statistic and counts the rest (a statistic over 50,000 files named them
  all, six times over).
- *A ChatOllama per call* (`chimera/backends/ollama.py`): ~0.8 ms each (two httpx clients).
  Now one per call settings per event loop (its async client is bound to the loop).
- *The graph compiled per run*: ~2-3 ms; `chimera compare` now compiles it once per retry
  count (`compile_insight_graph`), and the cache remembers each digest rendering per size.
- *SQLite*: `PRAGMA synchronous=NORMAL` in WAL mode (a killed process loses nothing; a power
  cut may lose the last node's checkpoint, which a resume re-runs).
- *Digest memory* (`chimera/digest.py`, split into modules by a colleague): per-file
  statistics are left out above 200 files, and values are stored in flat buffers. 20,000
  generated files: peak RSS 321 MB before, 152 MB after (278 MB without the cap).

**Profiled, not changed:**

- *Per streamed chunk.* CPU per call for 40 tokens 25 ms apart, solo, this machine: a raw
  asyncio socket read loop 10-14 ms, httpx 75-80 ms, the ollama client 82-83 ms,
  `ChatOllama.astream` 152-157 ms. The same code with 400 tokens back to back costs httpx
  46-68 ms, ollama 44-50 ms, ChatOllama 95-112 ms, i.e. 0.1-0.3 ms per chunk: a chunk that
  arrives after the process idled costs ten times more here (a virtual CPU waking up with
  cold caches). This is now the largest share of a run's CPU: with the digest shared, a
  run with 3-token replies needs 15.6 ms of CPU, with 40-token replies 25 ms apart
  85-113 ms. Calling the ollama client directly would halve it but leave the pinned
  langchain-ollama path (and LangChain's callbacks, which tracing relies on); not done.
- *Connections.* Each call opens a TCP connection (the model's clients are never closed, so
  keep-alive is off): 1.49 ms CPU per request against 0.89 ms with keep-alive. Keep-alive
  needs clients closed when their event loop ends; not done.
- *LangGraph itself.* Four no-op async nodes cost 1.9-3.3 ms of CPU per run whatever the
  stream mode (`ainvoke` 3.0, `values` 2.8, `updates` 2.7, `values`+`tasks` 2.3 ms in one
  measurement): about 0.5 ms per step, paid by the hand-written pipeline too.
- *SQLite checkpoints.* Opening, setting up and closing a checkpoint file: 4.4 ms.
  Serialising the state after each step: ~3.5 ms CPU per run (the digest is in the state,
  so each of the ~11 writes carries it); the rest of the ~24 ms is the writes travelling
  through aiosqlite's thread. LangGraph's default `durability="async"` overlaps those writes
  with the next node, so in a real run (seconds per model call) they hide behind the model.
- *Digest speed*: pandas `read_csv` twice per CSV (header, then chunks) and a DataFrame per
  JSON file ~45 % of the digest's time, JSON flattening ~15 %, statistics ~14 %. Small files
  would go much faster through the `csv` module; that changes reading semantics, not done.
- *Inventory* (`chimera/inventory.py`): per file, `lstat` ~4.7 us, `FileEntry` validation
  ~4.5 us, the walk loop ~4 us. `FileEntry.model_construct` is slower (6.3 us). Disabling
  the collector during the walk gained within the machine's noise. A 10k inventory once
  measured 2x slower than 1k and 100k: kernel writeback of the 2.7 GB just generated; the
  benchmark runs `os.sync()` after generating.
"""

REPRODUCE = """
## Reproduce

```bash
.venv/bin/python benchmarks/run_all.py --write-docs      # everything, ~20 min; this page
.venv/bin/python benchmarks/run_all.py --smoke           # tiny sizes, < 1 min (CI)
.venv/bin/python benchmarks/bench_concurrency.py [--smoke] [--json PATH]
.venv/bin/python benchmarks/bench_overhead.py [--smoke] [--json PATH]
.venv/bin/python benchmarks/bench_ingest.py [--smoke] [--json PATH] [--tmp DIR]
.venv/bin/python benchmarks/bench_embedded.py [--smoke] [--json PATH]
```

All figures of a run go to `bench-results/benchmarks.json` (or `--json PATH`). No Ollama
is needed: the stub server (`chimera.testing.ollama_server`) speaks Ollama's HTTP API with
exact timings. `tests/test_benchmarks_smoke.py` runs the smoke version and checks that
every table's figures are present and finite.
"""
