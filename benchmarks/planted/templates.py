"""Sentence templates by family, and the figures each family fills them with.

A family picks what it talks about (a model, a setup, two setups of one model, a setting's
level, a file ...), computes every figure it might cite from `Truth`, and fills a template
whose slots are all available. Templates are written the way LLM-ops reports and models
phrase such figures; none was written against the checker. Slot names: `mean`, `median`,
`p95`, `min`, `max`, `std`, `n` (throughput, tok/s); `t_mean`, `t_median`, `t_p95`, `t_min`,
`t_max` (TTFT); `l_mean`, `l_max`, `l_median` (load); `M`, `C`, `S`, `F` names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from planted.phrases import Item, Slot, Style, config_ref, model_ref, pick, render, setting_ref
from planted.truth import Setup, Truth

MODEL_STAT = (
    "{M} averages {mean} across all of its runs.",
    "Mean throughput for {M} was {mean}.",
    "{M} generated at a median of {median}.",
    "Across its runs {M} peaked at {max} and never dropped below {min}.",
    "The fastest run of {M} reached {max}; the slowest managed {min}.",
    "{M}: {mean} mean, {median} median.",
    "On average, {M} produced {mean}.",
    "Throughput of {M} ranged from {min} to {max}.",
    "{M} has a p95 throughput of {p95}.",
    "{M} runs at {mean} on average, with a standard deviation of {std}.",
    "{M} sustains about {approx}.",
    "The average generation speed of {M} is {mean} (n={n}).",
)
MODEL_LATENCY = (
    "{M} has a mean TTFT of {t_mean}.",
    "Time to first token for {M} averages {t_mean} (median {t_median}).",
    "The p95 time-to-first-token of {M} is {t_p95}.",
    "First-token latency for {M} peaks at {t_max}.",
    "{M} waits {t_median} for its first token (median).",
    "Median TTFT: {t_median} on {M}.",
    "Model load for {M} takes {l_mean} on average; the slowest cold start took {l_max}.",
    "Mean load time for {M}: {l_mean}.",
    "{M} shows a minimum TTFT of {t_min} and a maximum of {t_max}.",
    "TTFT on {M} is {t_mean} on average.",
)
SETUP_STAT = (
    "{M} with {C} averages {mean}.",
    "With {C}, {M} reaches {mean} on average (median {median}).",
    "{C} on {M}: {mean} mean throughput, {t_mean} mean TTFT.",
    "The p95 TTFT of {M} at {C} is {t_p95}.",
    "Under {C}, {M} spans {min} to {max}.",
    "{M} ({C}) delivers a median of {median}.",
    "Running {M} with {C} gives {mean}, and the median time to first token is {t_median}.",
    "At {C}, {M} peaks at {max}.",
    "{M} at {C}: mean TTFT {t_mean}, p95 {t_p95}.",
    "For {M}, {C} yields a mean of {mean} (std {std}).",
    "{M} with {C} loads in {l_mean} on average.",
    "{M} with {C} averages {mean} over {n_runs} runs.",
    "{M} / {C}: {mean} (n={n}).",
)
SETUP_COMPARE = (
    "For {M}, {C1} is {pct} faster than {C2} ({a} vs {b}).",
    "Switching {M} from {C2} to {C1} raises throughput by {pct}, from {b} to {a}.",
    "{M} loses {loss} of its throughput going from {C1} to {C2}.",
    "{C1} gives {M} {a}, {pct} more than the {b} of {C2}.",
    "On {M}, {C1} beats {C2} by {pct}.",
    "{M} is {x} as fast with {C1} as with {C2}.",
    "Mean TTFT of {M} falls by {tpct} with {T1} compared with {T2} ({t1} vs {t2}).",
    "{M} reaches its first token {tpct} sooner with {T1} than with {T2}.",
    "{M} averages {a} with {C1} against {b} with {C2}, a gain of {pct}.",
    "{M}, {C2} -> {C1}: +{pct} throughput ({b} -> {a}).",
)
MODEL_COMPARE = (
    "{M1} is {x} faster than {M2} ({a} vs {b} mean).",
    "{M1} outpaces {M2} by {pct} in mean throughput.",
    "{M2} needs {t2} to the first token on average; {M1} only {t1}.",
    "Mean throughput: {M1} {a}, {M2} {b}.",
    "{M1} ({a}) is {x} as fast as {M2} ({b}).",
    "{M2} is {slow} slower than {M1} on average.",
)
SETTING_LEVEL = (
    "At {S}, {M} averages {mean}.",
    "{M} runs at {mean} with {S} (mean over all of its runs at that setting).",
    "With {S}, the median TTFT of {M} is {t_median}.",
    "{M} averages {a} at {S1} and {b} at {S2}.",
    "Moving {M} from {S1} to {S2} changes its mean throughput by {pct} ({a} to {b}).",
)
COUNTS = (
    "{M} has {n} successful runs in the data.",
    "{e} rows in {F} ended in an error.",
    "In all, {e_all} runs failed.",
    "The folder holds {rows} rows of measurements.",
    "{M} completed {ok} of {total} runs.",
    "Of the {total} runs of {M}, {n_err} failed.",
)
OVERALL = (
    "Across all {n_runs} successful runs, mean throughput is {mean}.",
    "Overall median TTFT: {t_median}.",
    "The whole data set peaks at {max}.",
    "All runs taken together average {mean}, with a p95 TTFT of {t_p95}.",
    "Across the data, the median throughput is {median}.",
)
FILE = (
    "In {F}, the mean TTFT is {t_mean}.",
    "{F} reports {mean} on average.",
    "The runs in {F} reach a median of {median}.",
    "{F}: {mean} mean throughput over {n_runs} runs.",
)
FILE_MODEL = (
    "{M}'s runs in {F} average {mean}.",
    "In {F}, {M} reaches a median of {median}.",
)
DURATIONS = (
    "Total duration per request for {M} averages {d_mean}.",
    "{M} spends {pe_mean} in prompt evaluation on average.",
    "Generation (eval) takes {e_mean} per answer for {M}, on average.",
    "{M} generates {tokens} per response on average.",
    "The median end-to-end time for {M} is {d_median}.",
    "The first request to {M} paid a cold start of {l_max}; later loads took {l_median} (median).",
    "Requests to {M} take at most {d_max} in total.",
)
SPREAD = (
    "Run-to-run variation on {M} with {C} is small: a coefficient of variation of {cv}.",
    "The throughput of {M} with {C} varies by {cv} (CV) across repetitions.",
)
LLAMA_BENCH = (
    "{M} reaches {tg} on tg128 with ngl {ngl}.",
    "Prompt processing (pp512) on {M} runs at {pp} with n_gpu_layers={ngl}.",
    "With ngl {ngl}, {M} generates {tg} (tg128) and processes prompts at {pp} (pp512).",
    "{M}: tg128 {tg} at {ngl} GPU layers.",
)

_SLOTS = re.compile(r"\{(\w+)\}")
_NAMES = {"M", "M1", "M2", "C", "C1", "C2", "T1", "T2", "S", "S1", "S2", "F"}


def slots_of(template: str) -> set[str]:
    return set(_SLOTS.findall(template))


def _approx(value: float) -> float:
    """How a writer rounds for "about": two significant digits (162.4 -> 160)."""
    return float(f"{value:.2g}")


@dataclass
class Ctx:
    """What templates need: the truth, the randomness, names as this folder allows."""

    truth: Truth
    rng: np.random.Generator
    shape: str
    rounds: int = 3  # how many items a family writes per thing it talks about, times

    def __post_init__(self) -> None:
        tags = [m.partition(":")[2] for m in self.truth.models()]
        self.unique = {m for m in self.truth.models() if tags.count(m.partition(":")[2]) == 1}
        self.llama = self.shape == "alias_columns"  # llama.cpp data: llama.cpp's spellings

    def m(self, model: str) -> str:
        return model_ref(model, self.rng, model in self.unique)

    def c(self, setup: Setup) -> str:
        keys = self.truth.varying(setup.model) or list(setup.settings)[:1]
        return config_ref(setup.config, setup.settings, keys, self.rng, self.llama)

    def s(self, key: str, value: float) -> str:
        return setting_ref(key, value, self.rng, self.llama)

    def stats(self, prefix: str, metric: str, about: str, kind: str, **filters: Any) -> dict:
        out: dict[str, Slot] = {}
        for stat in ("mean", "median", "p95", "min", "max", "std"):
            value = self.truth.stat(metric, stat, **filters)
            if value is not None and value > 0:
                out[prefix + stat] = Slot(value, kind, about=f"{metric} {stat} {about}")
        return out

    def tps(self, about: str, **filters: Any) -> dict:
        out = self.stats("", "tok_s", about, "tps", **filters)
        n = self.truth.stat("tok_s", "n", **filters)
        if n:
            out["n"] = Slot(n, "count", bare=True, about=f"n {about}")  # "(n=6)" is a figure
            if n >= 10:  # "6 runs" is not one (the extraction rule), so not planted as one
                out["n_runs"] = Slot(n, "count", bare=True, about=f"n {about}")
        if "mean" in out:
            mean = out["mean"].value
            out["approx"] = Slot(_approx(mean), "tps", digits=0, about=f"~tok_s mean {about}")
        return out

    def latency(self, about: str, **filters: Any) -> dict:
        return {
            **self.stats("t_", "ttft_ms", about, "time", **filters),
            **self.stats("l_", "load_ms", about, "time", **filters),
        }

    def fill(
        self, family: str, templates: tuple[str, ...], slots: dict[str, Any], group: str = ""
    ) -> Item | None:
        """A template of `templates` whose slots are all known, filled; None if there is none."""
        usable = [t for t in templates if slots_of(t) - {"U_tps", "U_time"} <= slots.keys()]
        if not usable:
            return None
        template = pick(self.rng, usable)
        tid = f"{group or family}/{templates.index(template) + 1}"
        return render(template, slots, Style.draw(self.rng), self.shape, family, tid)


def _pct(a: float, b: float, about: str) -> Slot:
    return Slot(abs(a - b) / b * 100.0, "pct", about=about)


def model_stat(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for _ in range(2 * ctx.rounds):
            yield ctx.fill("model_stat", MODEL_STAT, {"M": ctx.m(model), **ctx.tps(
                f"model={model}", model=model)})  # fmt: skip


def model_latency(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for _ in range(ctx.rounds + 1):
            about = f"model={model}"
            yield ctx.fill("model_latency", MODEL_LATENCY,
                           {"M": ctx.m(model), **ctx.latency(about, model=model)})  # fmt: skip


def setup_stat(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for setup in ctx.truth.setups(model):
            for _ in range(ctx.rounds):
                about = f"model={model} setup={setup.filters}"
                filters = {"model": model, **setup.filters}
                slots = {"M": ctx.m(model), "C": ctx.c(setup), **ctx.tps(about, **filters),
                         **ctx.latency(about, **filters)}  # fmt: skip
                yield ctx.fill("setup_stat", SETUP_STAT, slots)


def _pairs(ctx: Ctx, model: str) -> list[tuple[Setup, Setup]]:
    setups = ctx.truth.setups(model)
    return [(a, b) for i, a in enumerate(setups) for b in setups[i + 1 :]]


def setup_compare(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        pairs = _pairs(ctx, model)
        for index in ctx.rng.permutation(len(pairs))[: 3 * ctx.rounds]:
            s1, s2 = pairs[int(index)]
            f1 = {"model": model, **s1.filters}
            f2 = {"model": model, **s2.filters}
            a, b = ctx.truth.stat("tok_s", "mean", **f1), ctx.truth.stat("tok_s", "mean", **f2)
            if a is None or b is None or a == b:
                continue
            if a < b:
                s1, s2, a, b, f1, f2 = s2, s1, b, a, f2, f1
            about = f"{model}: {s1.filters} vs {s2.filters}"
            slots: dict[str, Any] = {
                "M": ctx.m(model), "C1": ctx.c(s1), "C2": ctx.c(s2),
                "a": Slot(a, "tps", about=f"tok_s mean {s1.filters}"),
                "b": Slot(b, "tps", about=f"tok_s mean {s2.filters}"),
                "pct": _pct(a, b, f"(a-b)/b {about}"), "loss": _pct(b, a, f"(a-b)/a {about}"),
                "x": Slot(a / b, "x", about=f"a/b {about}"),
            }  # fmt: skip
            t1 = ctx.truth.stat("ttft_ms", "mean", **f1)
            t2 = ctx.truth.stat("ttft_ms", "mean", **f2)
            if t1 is not None and t2 is not None and t1 != t2:
                (low, c_low, high, c_high) = (t1, s1, t2, s2) if t1 < t2 else (t2, s2, t1, s1)
                slots |= {
                    "T1": ctx.c(c_low), "T2": ctx.c(c_high),
                    "t1": Slot(low, "time", about=f"ttft mean {c_low.filters}"),
                    "t2": Slot(high, "time", about=f"ttft mean {c_high.filters}"),
                    "tpct": _pct(low, high, f"ttft (b-a)/b {about}"),
                }  # fmt: skip
            yield ctx.fill("setup_compare", SETUP_COMPARE, slots)


def model_compare(ctx: Ctx) -> Iterator[Item | None]:
    models = ctx.truth.models()
    for i, m1 in enumerate(models):
        for m2 in models[i + 1 :]:
            for _ in range(ctx.rounds + 1):
                a, b = ctx.truth.stat("tok_s", "mean", model=m1), ctx.truth.stat(
                    "tok_s", "mean", model=m2)  # fmt: skip
                if a is None or b is None:
                    continue
                fast, slow = (m1, m2) if a >= b else (m2, m1)
                a, b = max(a, b), min(a, b)
                slots: dict[str, Any] = {
                    "M1": ctx.m(fast), "M2": ctx.m(slow),
                    "a": Slot(a, "tps", about=f"tok_s mean {fast}"),
                    "b": Slot(b, "tps", about=f"tok_s mean {slow}"),
                    "x": Slot(a / b, "x", about=f"a/b {fast} vs {slow}"),
                    "pct": _pct(a, b, f"(a-b)/b {fast} vs {slow}"),
                    "slow": _pct(b, a, f"(a-b)/a {fast} vs {slow}"),
                }  # fmt: skip
                t1 = ctx.truth.stat("ttft_ms", "mean", model=fast)
                t2 = ctx.truth.stat("ttft_ms", "mean", model=slow)
                if t1 is not None and t2 is not None:
                    slots["t1"] = Slot(t1, "time", about=f"ttft mean {fast}")
                    slots["t2"] = Slot(t2, "time", about=f"ttft mean {slow}")
                yield ctx.fill("model_compare", MODEL_COMPARE, slots)


def setting_level(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for key in ctx.truth.varying(model):
            levels = sorted({s.settings[key] for s in ctx.truth.setups(model) if key in s.settings})
            for _ in range(ctx.rounds + 1):
                v1, v2 = (float(v) for v in ctx.rng.choice(levels, 2, replace=False))
                a = ctx.truth.stat("tok_s", "mean", model=model, **{key: v1})
                b = ctx.truth.stat("tok_s", "mean", model=model, **{key: v2})
                if a is None or b is None:
                    continue
                about = f"model={model} {key}"
                slots: dict[str, Any] = {
                    "M": ctx.m(model), "S": ctx.s(key, v1), "S1": ctx.s(key, v1),
                    "S2": ctx.s(key, v2),
                    "mean": Slot(a, "tps", about=f"tok_s mean {about}={v1:g}"),
                    "a": Slot(a, "tps", about=f"tok_s mean {about}={v1:g}"),
                    "b": Slot(b, "tps", about=f"tok_s mean {about}={v2:g}"),
                    "pct": _pct(b, a, f"(b-a)/a {about} {v1:g}->{v2:g}"),
                }  # fmt: skip
                t = ctx.truth.stat("ttft_ms", "median", model=model, **{key: v1})
                if t is not None:
                    slots["t_median"] = Slot(t, "time", about=f"ttft median {about}={v1:g}")
                yield ctx.fill("setting_level", SETTING_LEVEL, slots)


def _count(value: float | int | None, about: str) -> Slot | None:
    if value is None or value < 10:
        return None  # "3 runs" is not a figure by the extraction rule; not planted
    return Slot(int(value), "count", bare=True, about=about)


def counts(ctx: Ctx) -> Iterator[Item | None]:
    t = ctx.truth
    files = [f for f in t.files() if t.error_rows(file=f) >= 10]
    base = {"e_all": _count(t.error_rows(), "error rows, all files"),
            "rows": _count(t.rows(), "rows read")}  # fmt: skip
    for model in t.models():
        total = t.rows(model=model)
        errors = t.error_rows(model=model)
        slots = {
            **base, "M": ctx.m(model), "n": _count(t.stat("tok_s", "n", model=model), "n"),
            "total": _count(total, f"rows of {model} incl. errors"),
            "ok": _count(total - errors, f"ok rows of {model}"), "n_err": str(errors),
        }  # fmt: skip
        if files:
            f = str(ctx.rng.choice(files))
            slots |= {"F": f, "e": _count(t.error_rows(file=f), f"error rows of {f}")}
        for _ in range(ctx.rounds + 1):
            yield ctx.fill("counts", COUNTS, {k: v for k, v in slots.items() if v is not None})


def overall(ctx: Ctx) -> Iterator[Item | None]:
    slots = {**ctx.tps("all rows"), **ctx.latency("all rows")}
    for _ in range(2 * ctx.rounds):
        yield ctx.fill("overall", OVERALL, slots)


def per_file(ctx: Ctx) -> Iterator[Item | None]:
    for f in ctx.truth.files():
        models = sorted(ctx.truth.select(file=f)["model"].dropna().unique())
        if not models:
            continue
        if ctx.rng.random() < 0.3:  # one model's runs in the file
            model = str(ctx.rng.choice(models))
            about = f"model={model} file={f}"
            slots = {"F": f, "M": ctx.m(model), **ctx.tps(about, model=model, file=f)}
            yield ctx.fill("file", FILE_MODEL, slots, "file_model")
        else:
            slots = {"F": f, **ctx.tps(f"file={f}", file=f), **ctx.latency(f"file={f}", file=f)}
            yield ctx.fill("file", FILE, slots)


def durations(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        about = f"model={model}"
        slots = {"M": ctx.m(model), **ctx.latency(about, model=model),
                 **ctx.stats("d_", "total_ms", about, "time", model=model),
                 **ctx.stats("pe_", "prompt_eval_ms", about, "time", model=model),
                 **ctx.stats("e_", "eval_ms", about, "time", model=model)}  # fmt: skip
        tokens = ctx.truth.stat("eval_count", "mean", model=model)
        if tokens:
            slots["tokens"] = Slot(tokens, "tokens", about=f"eval_count mean {about}")
        for _ in range(2 * ctx.rounds):
            yield ctx.fill("durations", DURATIONS, slots)


def spread(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for setup in ctx.truth.setups(model)[: ctx.rounds]:
            filters = {"model": model, **setup.filters}
            mean, std = ctx.truth.stat("tok_s", "mean", **filters), ctx.truth.stat(
                "tok_s", "std", **filters)  # fmt: skip
            if mean and std:
                cv = Slot(std / mean * 100, "pct", about=f"cv {model} {setup.filters}")
                yield ctx.fill("spread", SPREAD, {"M": ctx.m(model), "C": ctx.c(setup), "cv": cv})


def llama_bench(ctx: Ctx) -> Iterator[Item | None]:
    for model in ctx.truth.models():
        for ngl in (0, 99):
            for _ in range(ctx.rounds + 1):
                tg = ctx.truth.stat("tok_s", "mean", model=model, num_gpu=ngl, test="tg128")
                pp = ctx.truth.stat("tok_s", "mean", model=model, num_gpu=ngl, test="pp512")
                if tg is None or pp is None:
                    continue
                # The GGUF file's stem, as the digest names the model (see truth.py).
                yield ctx.fill("llama_bench", LLAMA_BENCH, {
                    "M": model, "ngl": str(ngl),
                    "tg": Slot(tg, "tps", about=f"avg_ts tg128 {model} ngl={ngl}"),
                    "pp": Slot(pp, "tps", about=f"avg_ts pp512 {model} ngl={ngl}"),
                })  # fmt: skip
