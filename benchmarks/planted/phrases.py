"""How reports name things: models, setups, settings, units; and the rendering of a sentence.

A sentence is written from a template string with slots: `{M}` is plain text (a model's
name as chosen here), `{a}` a figure (`Slot`: its true value and kind). Rendering rounds each
figure to the digits its style asks for and records where it stands (`Fig`), so a
perturbed copy can move exactly one figure and the scorer can find it among the claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

TPS_UNITS = ((" tok/s", 5), (" tokens/s", 3), (" tokens per second", 2), (" t/s", 1),
             (" tok/sec", 1), ("tok/s", 1))  # fmt: skip
MS_UNITS = ((" ms", 6), ("ms", 2), (" milliseconds", 1))
S_UNITS = ((" s", 4), ("s", 1), (" seconds", 2), (" sec", 1))
PCT_UNITS = ((" %", 3), ("%", 4), (" percent", 1))
X_UNITS = (("x", 5), ("×", 1), (" times", 1))


def pick(rng: np.random.Generator, options: Any) -> Any:
    """One of `options`: a sequence, or (value, weight) pairs."""
    options = list(options)
    if options and isinstance(options[0], tuple) and len(options[0]) == 2:
        weights = np.array([w for _, w in options], dtype=float)
        return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]
    return options[int(rng.integers(len(options)))]


# --- names ------------------------------------------------------------------------------


def model_ref(model: str, rng: np.random.Generator, unique_tag: bool) -> str:
    """A model as reports write it: tagged, spaced, by its size tag alone, or marketed."""
    family, _, tag = model.partition(":")
    pretty = re.sub(r"([a-z]+)(\d)", r"\1 \2", family).title().replace("Qwen ", "Qwen")
    options = [
        (model, 8), (f"{family} {tag}", 2), (f"{family}-{tag}", 1),
        (f"{family.capitalize()} {tag.upper()}", 1), (f"{pretty} {tag.upper()}", 1),
    ]  # fmt: skip
    if unique_tag:
        options += [(f"the {tag} model", 5), (f"the {tag}", 1)]
    return pick(rng, options)


def setting_ref(key: str, value: float, rng: np.random.Generator, llama: bool = False) -> str:
    """A setting with its value; `llama`: as llama.cpp users write them (n_gpu_layers, -c)."""
    v = f"{value:g}" if key == "temperature" else str(int(value))
    if llama:
        return pick(rng, {
            "num_gpu": [(f"n_gpu_layers={v}", 3), (f"ngl {v}", 2), (f"-ngl {v}", 1),
                        (f"{v} GPU layers", 1)],
            "num_ctx": [(f"n_ctx={v}", 3), (f"n_ctx {v}", 2), (f"-c {v}", 1),
                        (f"a {v}-token context", 1), (f"context size {v}", 1)],
            "temperature": [(f"temp {v}", 3), (f"temp={v}", 2), (f"--temp {v}", 1),
                            (f"temperature {v}", 1)],
        }[key])  # fmt: skip
    options = {
        "num_gpu": [(f"num_gpu={v}", 4), (f"num_gpu {v}", 2), (f"num_gpu: {v}", 1),
                    (f"{v} GPU layers", 1), (f"num_gpu set to {v}", 1)],
        "num_ctx": [(f"num_ctx={v}", 4), (f"num_ctx {v}", 2), (f"a {v}-token context", 1),
                    (f"context size {v}", 1), (f"ctx {v}", 1), (f"num_ctx of {v}", 1)],
        "temperature": [(f"temperature={v}", 3), (f"temperature {v}", 2), (f"temp {v}", 1),
                        (f"temperature of {v}", 1)],
    }[key]  # fmt: skip
    if key == "num_gpu" and int(value) == 0:
        options += [("CPU-only", 3), ("CPU only (num_gpu=0)", 1)]
    return pick(rng, options)


def settings_ref(
    settings: dict[str, float], keys: list[str], rng: np.random.Generator, llama: bool = False
) -> str:
    parts = [setting_ref(k, settings[k], rng, llama) for k in keys if k in settings]
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return ", ".join(parts[:-1]) + pick(rng, [(" and ", 3), (", ", 2)]) + parts[-1]


def config_ref(
    config: str | None,
    settings: dict[str, float],
    keys: list[str],
    rng: np.random.Generator,
    llama: bool = False,
) -> str:
    """A setup by its config name (plain, in code, "the X config") or by its settings."""
    if config is not None and rng.random() < 0.7:
        return pick(rng, [(config, 5), (f"`{config}`", 2), (f"the {config} config", 2)])
    return settings_ref(settings, keys, rng, llama) if keys else str(config)


# --- figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A figure to write: its true value in its base unit (tok/s, ms, %, x, count)."""

    value: float
    kind: str  # tps, time, pct, x, count, tokens
    bare: bool = False  # no unit written (a table cell, "n=")
    perturb: bool = True
    about: str = ""  # what it is, for the listing of misses
    digits: int | None = None  # decimals forced (an approximate "about 160 tok/s")


@dataclass
class Style:
    """An item's writing habits: units and digits, the same for all its figures."""

    tps_unit: str
    tps_dec: int
    time_unit: str  # "ms" or "s"
    ms_unit: str
    s_unit: str
    ms_dec: int
    s_dec: int
    pct_unit: str
    pct_dec: int
    x_unit: str
    x_dec: int
    commas: bool

    @classmethod
    def draw(cls, rng: np.random.Generator) -> Style:
        return cls(
            tps_unit=pick(rng, TPS_UNITS), tps_dec=pick(rng, [(0, 1), (1, 4), (2, 3)]),
            time_unit=pick(rng, [("ms", 3), ("s", 1)]), ms_unit=pick(rng, MS_UNITS),
            s_unit=pick(rng, S_UNITS), ms_dec=pick(rng, [(0, 3), (1, 2)]),
            s_dec=pick(rng, [(2, 1), (3, 2)]), pct_unit=pick(rng, PCT_UNITS),
            pct_dec=pick(rng, [(0, 2), (1, 3)]), x_unit=pick(rng, X_UNITS),
            x_dec=pick(rng, [(1, 3), (2, 2)]), commas=bool(rng.random() < 0.5),
        )  # fmt: skip

    def header(self, kind: str) -> str:
        """The unit as a table header writes it."""
        if kind == "tps":
            return self.tps_unit.strip()
        return "ms" if self.time_unit == "ms" else "s"

    def number(self, slot: Slot) -> tuple[float, int, str]:
        """(value in the written unit, decimals, unit text) of a slot."""
        value, decimals, unit = self._number(slot)
        return value, decimals if slot.digits is None else slot.digits, unit

    def _number(self, slot: Slot) -> tuple[float, int, str]:
        if slot.kind == "tps":
            return slot.value, self.tps_dec, self.tps_unit
        if slot.kind == "time":
            if self.time_unit == "s" and slot.value >= 5:
                dec = self.s_dec if slot.value < 10_000 else 2
                return slot.value / 1000, max(dec, 3 if slot.value < 100 else 0), self.s_unit
            return slot.value, self.ms_dec if slot.value >= 20 else 1, self.ms_unit
        if slot.kind == "pct":
            return slot.value, self.pct_dec, self.pct_unit
        if slot.kind == "x":
            return slot.value, self.x_dec, self.x_unit
        if slot.kind == "tokens":
            return slot.value, 1 if abs(slot.value - round(slot.value)) > 1e-9 else 0, " tokens"
        return slot.value, 0, ""  # count


def format_number(value: float, decimals: int, commas: bool) -> str:
    text = f"{value:,.{decimals}f}" if commas else f"{value:.{decimals}f}"
    return text


@dataclass
class Fig:
    """A figure as written in an item: the number's span, its text and its truth."""

    start: int
    end: int
    written: str
    decimals: int
    kind: str
    true_value: float  # in the written unit, unrounded
    perturb: bool
    about: str
    commas: bool = False
    unit: str = ""  # as written right after the number ("" in a table cell or "n=")

    @property
    def value(self) -> float:
        return float(self.written.replace(",", ""))


@dataclass
class Item:
    """One planted text (a sentence, a few, a table or a list) and its figures."""

    shape: str
    family: str
    template: str
    text: str
    figs: list[Fig] = field(default_factory=list)
    perturbed: int | None = None  # index of the moved figure, in a perturbed copy
    original: str | None = None  # the figure before it was moved

    def moved(self, index: int, written: str) -> Item:
        fig = self.figs[index]
        shift = len(written) - len(fig.written)
        text = self.text[: fig.start] + written + self.text[fig.end :]
        figs = []
        for i, f in enumerate(self.figs):
            if i == index:
                figs.append(replace(f, written=written, end=f.end + shift))
            elif f.start > fig.start:
                figs.append(replace(f, start=f.start + shift, end=f.end + shift))
            else:
                figs.append(f)
        return replace(self, text=text, figs=figs, perturbed=index, original=fig.written)


_SLOT = re.compile(r"\{(\w+)\}")


def render(
    template: str, slots: dict[str, Any], style: Style, shape: str, family: str, tid: str
) -> Item:
    """Write `template` with its slots filled: names as given, figures in the item's style."""
    words = {"U_tps": style.header("tps"), "U_time": style.header("time")}
    out: list[str] = []
    figs: list[Fig] = []
    pos = 0
    length = 0
    for match in _SLOT.finditer(template):
        literal = template[pos : match.start()]
        out.append(literal)
        length += len(literal)
        pos = match.end()
        name = match.group(1)
        value = slots.get(name, words.get(name))
        if value is None:
            raise KeyError(f"template {tid}: no slot {name}")
        if isinstance(value, Slot):
            number, decimals, unit = style.number(value)
            commas = style.commas and abs(number) >= 1000 and value.kind != "count"
            text = format_number(number, decimals, commas)
            unit = "" if value.bare else unit
            figs.append(Fig(length, length + len(text), text, decimals, value.kind, number,
                            value.perturb, value.about, commas, unit))  # fmt: skip
            piece = text + unit
        else:
            piece = str(value)
        out.append(piece)
        length += len(piece)
    out.append(template[pos:])
    text = "".join(out)
    first = text.split(" ", 1)[0]
    if first.isalpha() and first.islower():  # "the 270m model ..." starts a sentence
        text = text[0].upper() + text[1:]
    return Item(shape, family, tid, text, figs)
