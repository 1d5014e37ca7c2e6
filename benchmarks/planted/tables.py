"""Markdown tables and bullet lists of figures, as reports lay them out.

Each is one planted item: a table under a caption (or with a Model column), a bullet list
under a line naming what it lists. Row and bullet slots are numbered (`C_1`, `mean_1`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from planted.phrases import Item, Slot, config_ref, pick
from planted.templates import Ctx
from planted.truth import Setup


def _setup_figures(
    ctx: Ctx, model: str, setup: Setup, i: int, bare: bool = True
) -> dict[str, Any] | None:
    filters = {"model": model, **setup.filters}
    about = f"model={model} setup={setup.filters}"
    t = ctx.truth
    mean, n = t.stat("tok_s", "mean", **filters), t.stat("tok_s", "n", **filters)
    if mean is None or n is None:
        return None
    out: dict[str, Any] = {
        f"mean_{i}": Slot(mean, "tps", bare=bare, about=f"tok_s mean {about}"),
        f"n_{i}": Slot(n, "count", bare=True, perturb=n >= 10, about=f"n {about}"),
        f"nn_{i}": Slot(n, "count", bare=True, about=f"n {about}"),
    }
    for key, metric, stat in (("max", "tok_s", "max"), ("tm", "ttft_ms", "median"),
                              ("tp", "ttft_ms", "p95")):  # fmt: skip
        value = t.stat(metric, stat, **filters)
        if value is not None:
            kind = "tps" if metric == "tok_s" else "time"
            out[f"{key}_{i}"] = Slot(value, kind, bare=bare, about=f"{metric} {stat} {about}")
    return out


def tables(ctx: Ctx) -> Iterator[Item | None]:
    t = ctx.truth
    for model in t.models():
        setups = t.setups(model)
        if len(setups) < 2:
            continue
        for variant in ("a", "b", "c"):
            slots: dict[str, Any] = {"M": ctx.m(model)}
            rows = []
            keys = t.varying(model) or list(setups[0].settings)[:1]
            for i, setup in enumerate(setups, 1):
                fig = _setup_figures(ctx, model, setup, i)
                if fig is None:
                    continue
                slots |= fig
                slots[f"C_{i}"] = setup.config or config_ref(
                    None, setup.settings, keys, ctx.rng, ctx.llama
                )
                slots[f"MM_{i}"] = model
                for k in keys:
                    value = setup.settings.get(k)
                    slots[f"{k}_{i}"] = "" if value is None else f"{value:g}"
                if variant == "a" and f"tm_{i}" in slots:
                    rows.append(f"| {{C_{i}}} | {{mean_{i}}} | {{tm_{i}}} | {{n_{i}}} |")
                elif variant == "b" and f"tp_{i}" in slots:
                    rows.append(f"| {{MM_{i}}} | {{C_{i}}} | {{mean_{i}}} | {{tp_{i}}} |")
                elif variant == "c" and f"max_{i}" in slots:
                    cells = " | ".join(f"{{{k}_{i}}}" for k in keys)
                    rows.append(f"| {cells} | {{mean_{i}}} | {{max_{i}}} |")
            if len(rows) < 2:
                continue
            if variant == "a":
                head = (pick(ctx.rng, ["{M} by configuration:", "Results for {M}:", ""])
                        + "\n| Config | Mean {U_tps} | Median TTFT ({U_time}) | Runs |"
                        + "\n|---|---:|---:|---:|")  # fmt: skip
            elif variant == "b":
                head = ("| Model | Config | Mean throughput ({U_tps}) | p95 TTFT ({U_time}) |"
                        "\n|---|---|---:|---:|")  # fmt: skip
            else:
                spelled = {"num_gpu": "n_gpu_layers", "num_ctx": "n_ctx", "temperature": "temp"}
                names = " | ".join(spelled[k] if ctx.llama else k for k in keys)
                head = (f"{{M}}, by settings:\n| {names} | Mean {{U_tps}} | Max {{U_tps}} |"
                        f"\n|{'---|' * len(keys)}---:|---:|")  # fmt: skip
            template = (head + "\n" + "\n".join(rows)).lstrip("\n")
            yield ctx.fill("table", (template,), slots, f"table_{variant}")
    models = t.models()
    if len(models) >= 2:
        slots = {}
        rows = []
        for i, model in enumerate(models, 1):
            mean, med = (
                t.stat("tok_s", "mean", model=model),
                t.stat("ttft_ms", "median", model=model),
            )
            n = t.stat("tok_s", "n", model=model)
            if mean is None or med is None or n is None:
                continue
            slots |= {f"M_{i}": model,
                      f"mean_{i}": Slot(mean, "tps", bare=True, about=f"tok_s mean {model}"),
                      f"tm_{i}": Slot(med, "time", bare=True, about=f"ttft median {model}"),
                      f"n_{i}": Slot(n, "count", bare=True, about=f"n {model}")}  # fmt: skip
            rows.append(f"| {{M_{i}}} | {{mean_{i}}} | {{tm_{i}}} | {{n_{i}}} |")
        if len(rows) >= 2:
            head = "| Model | Mean {U_tps} | Median TTFT ({U_time}) | n |\n|---|---:|---:|---:|"
            yield ctx.fill("table", (head + "\n" + "\n".join(rows),), slots, "table_models")


def bullets(ctx: Ctx) -> Iterator[Item | None]:
    t = ctx.truth
    for model in t.models():
        slots: dict[str, Any] = {"M": ctx.m(model), **ctx.tps(f"model={model}", model=model),
                                 **ctx.latency(f"model={model}", model=model)}  # fmt: skip
        lines = ["- Throughput: {mean} mean, {p95} p95"]
        if "t_median" in slots:
            lines.append("- TTFT: {t_median} median")
        if "l_mean" in slots:
            lines.append("- Load: {l_mean} on average")
        head = pick(ctx.rng, ["Summary for {M}:", "{M} at a glance:", "Key figures for {M}:"])
        yield ctx.fill("bullets", ("\n".join([head, *lines]),), slots, "bullets_model")
        setups = t.setups(model)
        if len(setups) >= 2:
            slots = {"M": ctx.m(model)}
            lines = []
            for i, setup in enumerate(setups, 1):
                fig = _setup_figures(ctx, model, setup, i, bare=False)
                if fig is not None:
                    slots |= fig | {f"C_{i}": ctx.c(setup)}
                    lines.append(f"- {{C_{i}}}: {{mean_{i}}} (n={{nn_{i}}})")
            head = pick(ctx.rng, ["{M} by setup:", "Setups of {M}:", "{M}, per configuration:"])
            yield ctx.fill("bullets", ("\n".join([head, *lines]),), slots, "bullets_setups")
    models = t.models()
    if len(models) >= 2:
        slots = {}
        lines = []
        for i, model in enumerate(models, 1):
            mean, med = (
                t.stat("tok_s", "mean", model=model),
                t.stat("ttft_ms", "median", model=model),
            )
            if mean is None:
                continue
            slots |= {f"M_{i}": ctx.m(model),
                      f"mean_{i}": Slot(mean, "tps", about=f"tok_s mean {model}")}  # fmt: skip
            if med is not None:
                slots[f"tm_{i}"] = Slot(med, "time", about=f"ttft median {model}")
                lines.append(f"- **{{M_{i}}}**: {{mean_{i}}} mean, TTFT {{tm_{i}}} median")
            else:
                lines.append(f"- **{{M_{i}}}**: {{mean_{i}}} on average")
        yield ctx.fill("bullets", ("\n".join(["Per model:", *lines]),), slots, "bullets_models")
