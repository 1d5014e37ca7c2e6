"""What the nodes derive from a digest without an LLM, made once per digest and shared.

The computed findings, the highlights shown from them, the data's known figures (prepared
for the figures check) and the digest's renderings for prompts. `prepared_for` is the one
path for every node, fresh run or resumed: the ingest cache remembers the result per
digest, so the runs of a batch compute it once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from chimera.config.agent import ModelOptions
from chimera.findings.compute import compute_findings
from chimera.findings.finding import Finding
from chimera.findings.highlights import Highlight, first_sentence, highlights_from
from chimera.grounding.figures import KnownFigures, data_figures
from chimera.grounding.run_facts import known_for_run
from chimera.ingest.cache import IngestCache, digest_key
from chimera.ingest.digest.models import DataDigest
from chimera.ingest.digest.render import render_digest
from chimera.ingest.inventory import Inventory
from chimera.metrics import RunMetrics
from chimera.tokens import estimate_tokens

# Renderings kept per digest: the writer's prompt budget shifts with each run's findings.
MAX_RENDERINGS = 8

RenderKey = tuple[int | None, Callable[[str], int] | None]


@dataclass(frozen=True)
class PreparedData:
    """A digest with what is derived from it: highlights, known figures, renderings."""

    digest: DataDigest
    findings: list[Finding]
    highlights: list[Highlight]
    figures: KnownFigures  # the digest's and findings' figures, prepared for verify
    _rendered: OrderedDict[RenderKey, tuple[str, bool]] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )

    @classmethod
    def of(
        cls,
        digest: DataDigest,
        highlights: list[Highlight] | None = None,
        findings: list[Finding] | None = None,
    ) -> PreparedData:
        """Prepare `digest`; findings and highlights are computed unless given (a
        checkpoint's own: a run written before findings existed gets them computed)."""
        if findings is None:
            findings = compute_findings(digest)
        if highlights is None:
            highlights = highlights_from(findings)
        figures = KnownFigures(data_figures(digest, [*findings, *highlights]))
        return cls(digest, findings, highlights, figures)

    def own_texts(self) -> list[tuple[str, str]]:
        """(source, text) of Chimera's computed texts: findings, recommendations, highlights."""
        texts = [(f"finding {f.id}", f.text) for f in self.findings]
        # the headline a summary or the risk table cites the finding by
        texts += [(f"finding {f.id}", f.headline) for f in self.findings if f.headline]
        texts += [
            (f"recommendation {r.id} (from {f.id})", r.text)
            for f in self.findings
            if (r := f.recommendation) is not None
        ]
        return texts + [("data highlight", h.text) for h in self.highlights]

    def known_for_run(
        self, metrics: RunMetrics, inventory: Inventory | None, options: ModelOptions
    ) -> KnownFigures:
        """The one set of known figures every check of a run uses (analyst's and writer's
        reviews, verify, `chimera verify`): the data's, the run's facts, Chimera's sentences."""
        return known_for_run(self.figures, self.own_texts(), metrics, inventory, options)

    def render(
        self, max_tokens: int | None, count_tokens: Callable[[str], int] | None = None
    ) -> tuple[str, bool]:
        """`render_digest`, remembered for the last few sizes asked (runs repeat them)."""
        count = count_tokens or estimate_tokens
        key = (max_tokens, count_tokens)
        try:
            rendered = self._rendered.pop(key, None)
        except TypeError:  # a backend that cannot be hashed: render every time
            return render_digest(self.digest, max_tokens, count)
        if rendered is None:
            rendered = render_digest(self.digest, max_tokens, count)
        self._rendered[key] = rendered  # most recently used last
        while len(self._rendered) > MAX_RENDERINGS:
            self._rendered.popitem(last=False)
        return rendered


def prepared_for(
    cache: IngestCache,
    digest: DataDigest,
    highlights: list[Highlight] | None = None,
    findings: list[Finding] | None = None,
    key: str | None = None,
) -> PreparedData:
    """The prepared data of `digest`, computed once per `key` (the ingest's; else the
    digest's content) and remembered in `cache`."""
    return cache.derived(
        key or digest_key(digest), "prepared", lambda: PreparedData.of(digest, highlights, findings)
    )


# Findings a prompt lists at most, most important first (each costs ~60-150 tokens).
MAX_PROMPT_FINDINGS = 12


def facts_block(findings: list[Finding]) -> str:
    """The findings for a prompt: one line each, its id, verdict and first sentence."""
    if not findings:
        return "(no findings: the data had no comparable measurements)"
    lines = []
    for f in findings[:MAX_PROMPT_FINDINGS]:
        lines.append(f"{f.id} ({f.verdict}): {first_sentence(f.text)}")
    return "\n".join(lines)


def options_block(findings: list[Finding]) -> str:
    """The recommendations the findings support, one line each with its id."""
    recs = [f.recommendation for f in findings if f.recommendation is not None]
    if not recs:
        return "(none)"
    return "\n".join(f"{r.id} (from {', '.join(r.finding_ids)}): {r.text}" for r in recs)
