"""What a sentence is about: the entities, metrics and statistics it names.

The figures check traces a number only to a known figure of matching context, so it must
know, for each figure written, which models, configs, files and setting values its
sentence names, which metric (throughput, TTFT, load, ...) and which statistic (mean,
median, p95, min, max). Entities are recognised against the names the data holds
(`EntityIndex`, built from the known figures' contexts), the way people write them:

- a model as tagged (`gemma3:270m`), with a space, dash or underscore for the colon
  (`gemma3 270m`), or by its tag alone when no other model has that tag (`270m`);
- a config by its name (`gpu80_ctx2048`);
- a setting with its value: `num_ctx=8192`, `num_ctx: 8192`, `num_ctx of 8192`,
  `num_ctx 8192` (and the spellings `n_ctx`, `ctx`, `n_gpu_layers`, `temp`, ...);
  `CPU only` / `CPU-only` is num_gpu=0;
- any other setting the data's figures are grouped by, as the data names it and with a
  value it was measured at (`bits=16`, `thr=2`, `MTP n=3`): the digest's own setting
  columns, learned from the figures' contexts, not a list of names (a value of letters and
  digits written alone, a workload `input 128 / output 1024`, is a name but no setting);
- a machine or an engine by its name (`NVIDIA GeForce RTX 4060 Laptop GPU`, `llama.cpp
  b5870 (Vulkan)`): a figure of one machine traces only in a sentence that names that
  machine or none (a comparison's figure, `A vs B`, is of both; a figure of a machine no
  file names, of any);
- a file by its path or its file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from chimera.document import SENTENCE_BREAK
from chimera.escape import md_inline
from chimera.grounding.known import KnownFigure
from chimera.grounding.vocabulary import (
    SETTING_CONNECTOR,
    SETTING_SPELLINGS,
    metric_patterns,
    unit_alternatives,
)
from chimera.ingest.digest.table import model_words, names_no_model

# Context keys that name an entity (everything else in a context is a setting).
ENTITY_KEYS = ("model", "config", "file")
# Where a figure was measured: named as entities, but no setup ("on the RTX 4060" is not a
# config); a comparison's figure is of both sides ("GB10 vs L40S").
SCOPE_KEYS = ("machine", "engine")
_BOTH_SIDES = " vs "
_NOT_STATED = "not stated"
# Context keys that are not settings the data was measured at.
_NOT_LEARNED = frozenset({*ENTITY_KEYS, *SCOPE_KEYS, "side", "versus"})

# Metric words -> the metrics they name (chimera.grounding.vocabulary.METRIC_WORDS).
_METRIC_WORDS = metric_patterns()
_STAT_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bmedian\b|\bp50\b", re.I), "median"),
    (re.compile(r"\bp95\b|95(?:th)?[ \t-]*percentile", re.I), "p95"),
    (re.compile(r"\bmean\b|\baverag(?:e|es|ed|ing)\b|\bavg\b", re.I), "mean"),
    (re.compile(r"\bmin(?:imum)?\b|\bshortest\b|\bsmallest\b|\bat[ \t]+least\b", re.I), "min"),
    (
        re.compile(
            r"\bmax(?:imum)?\b|\bpeak(?:s|ed|ing)?\b|\blongest\b|\blargest\b|\bat[ \t]+most\b"
            r"|\bup[ \t]+to\b",
            re.I,
        ),
        "max",
    ),
    (re.compile(r"\bstd\b|standard[ \t]+deviation|\bstdev\b", re.I), "std"),
)
# Statistics that only qualify a figure ("at most 676 ms" may be a group's maximum, and the
# typical values stay possible); the others pin it ("the median is 430 ms").
EXTREMES = frozenset({"min", "max"})
TYPICAL = frozenset({"mean", "median"})
_RANGE_AFTER = re.compile(r"[ \t]*(?:-|–|—|to)[ \t]*\d")
_RANGE_BEFORE = re.compile(r"\d[ \t]*(?:-|–|—|to)[ \t]*$|\bbetween[ \t]+$|\bfrom[ \t]+$")
_VARIATION_WORDS = re.compile(
    r"\bcv\b|coefficient[ \t]+of[ \t]+variation|\bvar(?:y|ies|ied|iation|iability)\b|\bspread\b"
    r"|\bstab(?:le|ility)\b|\bunstable\b|\bjitter\b|\bnois[ey]\b|\bfluctuat\w*",
    re.I,
)
_EXTREME_WORDS = re.compile(
    r"\bspan(?:s|ned)?\b|\brang(?:e|es|ed|ing)\b|\bpeak\w*|\bnever[ \t]+(?:dropped|fell|went|got)"
    r"|\b(?:fastest|slowest|best|worst|longest|shortest|single)[ \t]+"
    r"(?:run|request|call|repetition)s?\b"
    r"|\bcold[ \t-]+start|\bfirst[ \t]+(?:request|call|run|load)\b|\bbetween\b",
    re.I,
)
_SUMMARY_WORDS = re.compile(r"\bsummar(?:y|ies|ised|ized)\b|\breport(?:s|ed)\b", re.I)
_RUN_WORDS = re.compile(
    r"\b(?:this|the|chimera'?s?|our)[ \t]+(?:run|agent)\b|\bllm[ \t]+calls?\b|\bthe[ \t]+analyst\b"
    r"|\bthe[ \t]+writer\b|\bchimera\b",
    re.I,
)
# Where a figure's own clause ends: a sentence comparing two values of a setting binds each
# figure to the value in its clause ("num_ctx=2048 gives 246.94 against 195.34 at 8192").
CLAUSE_BREAK = re.compile(
    r"[;,:()]|\b(?:and|but|against|vs\.?|versus|while|whereas|than|compared[ \t]+(?:to|with)"
    r"|beats?|outperforms?|trails?|as[ \t]+(?:with|at|on))\b",
    re.I,
)
_UNIT_AFTER = re.compile(rf"[ \t]*(?:{unit_alternatives()})(?![\w/])", re.I)
_LINE_OR_SENTENCE = re.compile(r"\n|" + SENTENCE_BREAK.pattern)
_CPU_ONLY = re.compile(r"\bcpu[ \t-]*only\b|\bon[ \t]+(?:the[ \t]+)?cpu\b", re.I)


def _setting_pattern(spellings: Iterable[str], value: str) -> re.Pattern[str]:
    names = "|".join(
        re.escape(s).replace(r"\ ", r"[ \t_]") for s in sorted(spellings, key=len, reverse=True)
    )
    return re.compile(
        rf"(?<![A-Za-z0-9])(?:{names})(?![A-Za-z])[ \t]*{SETTING_CONNECTOR}"
        rf"[ \t]*(?P<value>{value})",
        re.I,
    )


# A number, or a word that is not a connector ("num_ctx of 8192"), without a full stop after it
_ANY_VALUE = r"-?\d+(?:\.\d+)?|(?!(?:of|at|is|was|set|to|from)\b)[A-Za-z](?:[\w.\-]*\w)?"
_SETTING_PATTERNS = {
    key: _setting_pattern(names, _ANY_VALUE) for key, names in SETTING_SPELLINGS.items()
}
# The second level of "num_gpu from 40 to 80".
_TO_VALUE = re.compile(r"[ \t]+(?:to|->|→)[ \t]+(-?\d+(?:\.\d+)?)\b")
# "a context of 8192 tokens", "8192-token context": the value before the name.
_VALUE_BEFORE = {
    "num_ctx": re.compile(r"(?<![\d.])(\d{3,7})[ \t-]*(?:tokens?[ \t-]*)?(?:context|ctx)\b", re.I),
    "num_gpu": re.compile(r"(?<![\d.])(\d{1,4})[ \t-]*(?:gpu[ \t-]*)?layers?\b", re.I),
}


def _marketed_name(family: str, tag: str) -> str | None:
    """`llama3.2:3b` as people write it: "Llama 3.2 3B", "llama-3.2-3b", "Llama3.2 3B"; None
    when the family has no version number to split off."""
    found = re.fullmatch(r"([A-Za-z]+)[ _-]?(\d+(?:\.\d+)*)(.*)", family)
    if found is None or not tag:
        return None
    name, version, rest = found.groups()
    sep = r"[ \t_-]?"
    tail = "".join(sep + re.escape(part) for part in re.split(r"[ _-]", rest) if part)
    return rf"{re.escape(name)}{sep}{re.escape(version)}{tail}[ \t_:-]+{re.escape(tag)}"


def _learned(key: str, value: str) -> bool:
    """Whether a context's key and value are a setting of the data's own naming (`bits`)."""
    if key in SETTING_SPELLINGS or key in _NOT_LEARNED or not value:
        return False
    return not (key == "run" and value == "this run")  # the run's own figures


def _is_label(value: str) -> bool:
    """A name of letters and digits ("RTX 4060", "input 128 / output 1024"), no number."""
    return any(ch.isdigit() for ch in value) and any(ch.isalpha() for ch in value)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def normalise_value(value: str) -> str:
    """'0.80' -> '0.8', '2048.0' -> '2048', names lower-cased."""
    try:
        number = float(value)
    except ValueError:
        return value.strip().lower()
    return str(int(number)) if number.is_integer() else repr(number)


@dataclass
class Named:
    """What one sentence names."""

    entities: dict[str, set[str]] = field(default_factory=dict)  # model/config/file/setting
    metrics: set[str] = field(default_factory=set)
    statistics: set[str] = field(default_factory=set)
    one_model: bool = False  # the data has a single model: naming it is not needed
    summary: bool = False  # speaks of a summary (already aggregated values): "reports", ...
    variation: bool = False  # speaks of run-to-run variation: "CV", "varies by", "spread"
    extremes: bool = False  # speaks of single runs at the ends: "ranged from", "fastest run"

    @property
    def names_any_entity(self) -> bool:
        return bool(self.entities)


@dataclass
class _Names:
    """What the known figures' contexts name, collected for an `EntityIndex`."""

    models: set[str] = field(default_factory=set)
    configs: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    # machines and engines ("2 x NVIDIA A100-SXM4-80GB", "llama.cpp b6077 (ROCm)"): names only
    labels: set[str] = field(default_factory=set)
    # each machine's and engine's name, as an entity: ("machine", "NVIDIA L40S")
    scopes: set[tuple[str, str]] = field(default_factory=set)
    scope_labels: set[tuple[str, str]] = field(default_factory=set)  # as contexts write them
    worded: set[tuple[str, str]] = field(default_factory=set)  # ("num_ctx", "4k")
    # settings of the data's own naming, with their values: ("bits", "16"), ("thr", "2")
    learned: set[tuple[str, str]] = field(default_factory=set)
    config_settings: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    config_owners: dict[str, set[str]] = field(default_factory=dict)
    # Each model's setups, as their settings: which settings a sentence must name to mean
    # one setup, and which a pooled figure ("at num_gpu=0", over the rest) leaves open.
    setups: dict[str | None, set[frozenset[tuple[str, str]]]] = field(default_factory=dict)

    def add(self, fig: KnownFigure) -> None:
        ctx = fig.context
        if fig.statistic == "value" and fig.metric in SETTING_SPELLINGS:
            settings = {k: normalise_value(v) for k, v in ctx.items() if k in SETTING_SPELLINGS}
            settings[fig.metric] = normalise_value(_number_text(fig.value))
            self.setups.setdefault(ctx.get("model"), set()).add(frozenset(settings.items()))
        if "config" in ctx:
            self.configs.add(ctx["config"])
            if "model" in ctx:
                self.config_owners.setdefault(ctx["config"], set()).add(ctx["model"])
            named = self.config_settings.setdefault(ctx["config"], {})
            for key, value in ctx.items():
                if key in SETTING_SPELLINGS or _learned(key, value):
                    named.setdefault(key, set()).add(normalise_value(value))
        for key, value in ctx.items():
            if key in SETTING_SPELLINGS and not _is_number(value):
                self.worded.add((key, value))
            elif _learned(key, value):
                self.learned.add((key, value))
        if "model" in ctx:
            self.models.add(ctx["model"])
        if "file" in ctx:
            self.files.add(ctx["file"])
        self._add_scopes(ctx)

    def _add_scopes(self, ctx: dict[str, str]) -> None:
        """A context's machine and engine: names, whose digits are no figures, and entities
        (each side of a comparison's "A vs B")."""
        for key in SCOPE_KEYS:
            label = ctx.get(key) or ""
            if not label or (key, label) in self.scope_labels:
                continue  # thousands of figures name a few machines
            self.scope_labels.add((key, label))
            if _is_label(label):
                self.labels.add(label)
            for name in label.split(_BOTH_SIDES):
                if name.strip() and name != _NOT_STATED:
                    self.scopes.add((key, name.strip()))
                    if _is_label(name):
                        self.labels.add(name.strip())


class EntityIndex:
    """The names in the data a sentence can refer to, and how to find them in text."""

    def __init__(self, figures: Iterable[KnownFigure]) -> None:
        seen = _Names()
        for fig in figures:
            seen.add(fig)
        models, configs, files = seen.models, seen.configs, seen.files
        # A config's settings: naming the config names them ("ctx_sweep (num_ctx=4096)").
        self._config_settings = seen.config_settings
        self.names = frozenset(models | configs | files)  # as the data writes them
        self._patterns: list[tuple[re.Pattern[str], str, str]] = []
        # how long what each pattern matches is, to try the longest first
        self._length: dict[int, int] = {}
        # Sorted: patterns of one length keep this order, not a set's, which varies run to
        # run ("Kimi-K2.5" and "kimi-k2.5" of one data match the same words).
        self._add_models(sorted(models))
        self.models = len(models)
        for config in sorted(configs):
            self._add(config, "config", config)
        for path in sorted(files):
            self._add(path, "file", path)
            self._add(path.rsplit("/", 1)[-1], "file", path)
        # "num_ctx=4k", "temperature=t=0.8": the data's own words, whose digits are no figures
        self._worded = [
            (
                _setting_pattern(SETTING_SPELLINGS[key], re.escape(value) + r"(?!\w|\.\w)"),
                key,
                value,
            )
            for key, value in sorted(seen.worded)
        ]
        # "bits=16", "MTP n=3": a setting the data names its own way, at a value it holds
        learned = [
            (_setting_pattern((key,), re.escape(value) + r"(?!\w|\.\w)"), key, value)
            for key, value in sorted(seen.learned)
        ]
        self._patterns += self._worded
        for pattern, key, value in learned:
            # the setting's name and value as written: "speculative=MTP-n3" before the config
            # "MTP-n3", the config "cpu-moe ngl=99 ubatch=128" before "ubatch=128"
            self._length[id(pattern)] = len(re.escape(key)) + 1 + len(re.escape(value))
        self._patterns += learned
        self._worded += learned
        # its value alone is a name, no figure ("(input 128 / output 1024)"), that constrains
        # nothing: written alone it may label a row of a figure of all rows
        seen.labels |= {value for _, value in seen.learned if _is_label(value)}
        for key, name in sorted(seen.scopes):
            self._add(name, key, name)
        # A machine's or engine's name is no figure ("Radeon 8060S" is not 8060 s, "4 x
        # NVIDIA A100-SXM4-80GB" no 4x ratio nor 80 GB), nor a learned setting's worded value.
        self._labels = [
            re.compile(rf"(?<![\w:./-]){re.escape(label)}(?![\w-]|\.\d)", re.I)
            for label in sorted(seen.labels, key=len, reverse=True)
        ]
        owners = seen.config_owners
        self._config_owner = {c: next(iter(ms)) for c, ms in owners.items() if len(ms) == 1}
        self._setups = {model: [dict(s) for s in found] for model, found in seen.setups.items()}
        self._varying = {
            model: {k for s in found for k in s if len({x.get(k) for x in found}) > 1}
            for model, found in self._setups.items()
        }
        self._settings_of_config_names(learned)
        # Longest first, so "gemma3:1b-it-qat" is found before "gemma3:1b" could be.
        self._patterns.sort(key=lambda p: -self._length.get(id(p[0]), len(p[0].pattern)))

    def _settings_of_config_names(self, learned: list[tuple[re.Pattern[str], str, str]]) -> None:
        """A config named by its settings ("request_rate=40, routing_strategy=static") names
        them, where its figures do not say them: naming it names its settings."""
        for config in self.names:
            if "=" not in config or config not in self._config_settings:
                continue
            named = self._config_settings[config]
            for pattern, key, value in learned:
                if key not in named and pattern.search(config):
                    named.setdefault(key, set()).add(value)
            for key, pattern in _SETTING_PATTERNS.items():
                for m in pattern.finditer(config):
                    if key not in named and re.match(r"-?\d", m.group("value")):
                        named.setdefault(key, set()).add(normalise_value(m.group("value")))

    def _add_models(self, models: Iterable[str]) -> None:
        """Each model as tagged, with a space, dash or underscore for the colon, as marketed,
        and by its tag alone when no other model has that tag."""
        tags: dict[str, list[str]] = {}
        for model in models:
            family, _, tag = model.partition(":")
            spellings = {model}
            if tag:
                tags.setdefault(tag.lower(), []).append(model)
                spellings |= {f"{family}{sep}{tag}" for sep in (" ", "-", "_")}
            if names_no_model(model):  # as a finding's sentence names it
                spellings.add(model_words(model))
            for spelling in spellings:
                self._add(spelling, "model", model)
            if marketed := _marketed_name(family, tag):
                self._add_pattern(marketed, "model", model)
        for tag, owners in tags.items():
            if len(owners) == 1 and tag not in ("latest",):
                self._add(tag, "model", owners[0])

    def _add(self, text: str, key: str, value: str) -> None:
        self._add_pattern(re.escape(text), key, value)
        # as report.md prints a name from the data: Markdown syntax escaped ("a\|b", "\#1")
        if (printed := md_inline(text)) != text:
            self._add_pattern(re.escape(printed), key, value)

    def _add_pattern(self, regex: str, key: str, value: str) -> None:
        pattern = re.compile(rf"(?<![\w:./-]){regex}(?![\w-]|\.\d|:\w)", re.I)
        self._patterns.append((pattern, key, value))
        self._length[id(pattern)] = len(regex)

    def identifies(self, figure: KnownFigure, named: Named) -> bool:
        """Does the sentence name the figure's setup, and not a narrower or wider one?

        A figure of one setup needs its config named, or settings that leave only that setup
        of the model (or every setting its setups vary in). A model's figure pooled over one
        setting's value (context: model and that setting) needs no other varying setting named:
        "at num_gpu=0 and num_ctx=2048" is a setup, not all of the num_gpu=0 runs."""
        ctx = figure.context
        own = {k for k in ctx if k in SETTING_SPELLINGS}
        if not own or ("config" in ctx and ctx["config"] in named.entities.get("config", ())):
            return True
        model = ctx.get("model")
        setups = self._setups.get(model)
        if not setups:
            return True
        varying = self._varying.get(model, set())
        said = {
            k: {normalise_value(v) for v in values}
            for k, values in named.entities.items()
            if k in SETTING_SPELLINGS
        }
        if own >= varying:
            fitting = [
                s for s in setups if all(k not in s or s[k] in vals for k, vals in said.items())
            ]
            return len(fitting) == 1 or varying <= said.keys()
        return (said.keys() & varying) <= own

    def position(self, text: str, key: str, value: str) -> int | None:
        """Where `text` first names `key`=`value` (a model, config, file, or setting value)."""
        found: list[int] = []
        for pattern, k, v in self._patterns:
            if k == key and v == value and (m := pattern.search(text)):
                found.append(m.start())
        wanted = normalise_value(value)
        if key in _SETTING_PATTERNS:
            found += [
                m.start()
                for m in _SETTING_PATTERNS[key].finditer(text)
                if normalise_value(m.group("value")) == wanted
            ]
        if key in _VALUE_BEFORE:
            found += [
                m.start()
                for m in _VALUE_BEFORE[key].finditer(text)
                if normalise_value(m.group(1)) == wanted
            ]
        if key == "num_gpu" and wanted == "0" and (m := _CPU_ONLY.search(text)):
            found.append(m.start())
        return min(found, default=None)

    def name_spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` writes a name of the data whose digits are no figures: a model as
        marketed ("Llama 3.2 3B"), a setting value the data holds as words ("num_ctx=4k"), a
        machine or an engine ("AMD Radeon 8060S", "llama.cpp b6077")."""
        spans = [m.span() for pattern, key, _ in self._patterns if key == "model"
                 for m in pattern.finditer(text)]  # fmt: skip
        spans += [m.span("value") for pattern, _, _ in self._worded for m in pattern.finditer(text)]
        if any(ch.isdigit() for ch in text):
            spans += [m.span() for pattern in self._labels for m in pattern.finditer(text)]
        return spans

    def named(self, sentence: str) -> Named:
        """Entities, settings, metrics and statistics the sentence names."""
        found = Named()
        rest = sentence
        for pattern, key, value in self._patterns:
            if pattern.search(rest):
                found.entities.setdefault(key, set()).add(value)
                rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)
        for key, pattern in _SETTING_PATTERNS.items():
            pos = 0
            while match := pattern.search(rest, pos):
                value = match.group("value")
                if key != "quantization" and not re.match(r"-?\d", value):
                    # a word, not this setting's value ("a context to num_ctx 8192"): the
                    # word may itself start the next setting
                    pos = match.start("value")
                    continue
                pos = match.end()
                if _UNIT_AFTER.match(rest, match.end()):
                    continue  # "rises with num_gpu: 107.25 tok/s" names a measurement
                found.entities.setdefault(key, set()).add(normalise_value(value))
                to = _TO_VALUE.match(rest, pos)  # "num_gpu from 40 to 80" names both
                if to is not None and not _UNIT_AFTER.match(rest, to.end()):
                    found.entities[key].add(normalise_value(to.group(1)))
        for key, pattern in _VALUE_BEFORE.items():
            for match in pattern.finditer(rest):
                found.entities.setdefault(key, set()).add(normalise_value(match.group(1)))
        if _CPU_ONLY.search(rest):
            found.entities.setdefault("num_gpu", set()).add("0")
        self._name_configs_settings(found)
        if _RUN_WORDS.search(rest):
            found.entities.setdefault("run", set()).add("this run")
        for pattern, metrics in _METRIC_WORDS:
            if pattern.search(sentence):
                found.metrics.update(metrics)
        found.one_model = self.models == 1
        found.summary = bool(_SUMMARY_WORDS.search(sentence))
        found.variation = bool(_VARIATION_WORDS.search(sentence))
        found.extremes = bool(_EXTREME_WORDS.search(sentence))
        return found

    def _name_configs_settings(self, found: Named) -> None:
        """A config named names its settings, and its model when only one model ran it. A
        sentence that also writes settings out speaks of setups by their settings ("from
        gpu40_ctx8192 to num_gpu=80 and num_ctx=8192"): the config name is not required of
        every figure then, its settings are."""
        configs = found.entities.get("config", set())
        if not configs:
            return
        spelled = any(key in SETTING_SPELLINGS for key in found.entities)
        for config in configs:
            for key, values in self._config_settings.get(config, {}).items():
                found.entities.setdefault(key, set()).update(values)
        owners = {self._config_owner.get(c) for c in configs}
        if "model" not in found.entities and len(owners) == 1 and None not in owners:
            found.entities["model"] = {owners.pop()}  # a config only one model ran names it
        if spelled:
            del found.entities["config"]


def statistics_in(label: str) -> set[str]:
    """The statistics a table column's header names ("p95 TTFT (ms)", "Mean tok/s")."""
    return {statistic for pattern, statistic in _STAT_WORDS if pattern.search(label)}


def statistics_near(before: str, after: str, right_after: str | None = None) -> set[str]:
    """The statistic a figure is said to be: named in the few words just before it (within
    its clause), or right after it and its unit ("34 ms median"); the ends of a range are its
    min and max (`right_after`: the text right after the number, when `after` is past its
    unit: "10.13-249.74 tok/s")."""
    starts_range = _RANGE_AFTER.match(right_after if right_after is not None else after)
    before = _LINE_OR_SENTENCE.split(before)[-1]  # within the figure's line and sentence
    after = after.split("\n", 1)[0]
    clause = re.split(r"[;,(]|\bagainst\b|\bvs\.?\b|\bversus\b|\bthan\b", before)[-1]
    # After the figure only its own words count: "67 tok/s (median 71)" is not a median.
    after = re.split(r"[;,()]", after)[0]
    window = " ".join(clause.split()[-4:]) + " " + " ".join(after.split()[:2])
    found = {statistic for pattern, statistic in _STAT_WORDS if pattern.search(window)}
    if not found:
        # "Mean throughput over all 9 rows is 67.67 tok/s": the statistic heads the clause;
        # "The p95 TTFT of gemma3:1b at 80 GPU layers, ctx 2048, ... is 128 ms": the sentence
        # (when it names one statistic only).
        found = {statistic for pattern, statistic in _STAT_WORDS if pattern.search(clause)}
        if not found:
            part = before.split(";")[-1]
            found = {statistic for pattern, statistic in _STAT_WORDS if pattern.search(part)}
            found = found if len(found) == 1 else set()
    if starts_range or _RANGE_BEFORE.search(before):
        found |= EXTREMES
    return found


_NOT_SETUP = frozenset({"model", "file", "machine", "engine", "side", "versus"})


def context_matches(figure: KnownFigure, named: Named) -> bool:
    """Does the figure's context agree with what the sentence names?

    Every entity or setting both name must agree, and the sentence must name the figure's
    group at its own level: a model's figure needs the model named (unless the data has only
    one), a setup's figure (config, settings) its config or one of its settings, a file's
    figure its file; a sentence that names a config or setting is about a setup, not about
    all of a model's rows. A figure of all rows (no context) fits a sentence that names no
    model, config, file or setting; the run's own metrics only a sentence about the run.
    """
    ctx = figure.context
    if ctx.get("run") == "this run":
        return "run" in named.entities
    names_setup = any(key not in ("model", "file", "run", *SCOPE_KEYS) for key in named.entities)
    if not ctx:
        return not any(key in named.entities for key in (*ENTITY_KEYS, "run")) and not names_setup
    if "model" in ctx:
        wanted = named.entities.get("model")
        if wanted is None and not named.one_model:
            return False
        if wanted is not None and ctx["model"] not in wanted:
            return False
    shared: set[str] = set()
    for key, value in ctx.items():
        wanted = named.entities.get(key)
        if key == "model" or wanted is None:
            continue
        if not _agrees(key, value, wanted):
            return False
        shared.add(key)
    if "file" in ctx and "file" not in shared:
        return False
    # a machine, an engine (where a sentence names one, it must agree, above) or the sides
    # of a comparison tell no setup: a group of a model on a machine is the model's in the
    # sentence
    setup_keys = {k for k in ctx if k not in _NOT_SETUP}
    if setup_keys:
        return bool(setup_keys & shared)
    return not names_setup


def consistent(figure: KnownFigure, named: Named) -> bool:
    """No entity or setting both name disagrees (nothing needs to be named)."""
    for key, value in figure.context.items():
        wanted = named.entities.get(key)
        if wanted is not None and not _agrees(key, value, wanted):
            return False
    return True


def _agrees(key: str, value: str, wanted: set[str]) -> bool:
    """A figure's context value is one the sentence names; a comparison's machine or engine
    ("GB10 vs L40S") is of both, so naming either agrees."""
    if value in wanted:
        return True
    if key in SCOPE_KEYS:
        # a figure of a machine no file names may be of the one named: nothing says it is not
        return value == _NOT_STATED or not set(value.split(_BOTH_SIDES)).isdisjoint(wanted)
    return normalise_value(value) in {normalise_value(w) for w in wanted}
