"""How the figures check's cost grows with the text it checks (issue 14, item 16).

A folder of 200 CSV files (4 models x 9 configs, 21,600 runs: about 25,000 known figures)
and texts of 1,500 to 12,000 figures, sentences like the analyst's ("On b:4b, num_gpu=80
runs at 131.02 tok/s, 3.5 % faster than CPU only."), as paragraphs and as one paragraph.
Printed: milliseconds per figure at each size, and the largest over the smallest. A linear
check keeps that ratio near 1; before the pools of derived percentages were indexed by model
and the clause search bounded by the sentence, it was about 1.7 at 6,000 figures and rising.

Then hostile text (issue 25): a model reply looping "0.0.0…", a line of bare numbers, a long
dotted word, at 16,000 to 64,000 characters, checked and reviewed as a draft. Printed:
seconds at each size and the largest over the smallest per character; before the rules read
bounded windows and the name masks started only where a word starts, "0." * 16,000 took
127 s through `chimera verify --text` and grew with the square of the length.

    .venv/bin/python benchmarks/figures_check_scaling.py
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chimera.config.agent import IngestOptions  # noqa: E402
from chimera.findings.prepared import PreparedData  # noqa: E402
from chimera.grounding.figures import KnownFigures, check_figures  # noqa: E402
from chimera.grounding.review import review_draft  # noqa: E402
from chimera.ingest.digest import ingest_folder  # noqa: E402

MODELS = ("a:1b", "b:4b", "c:270m", "d:12b")
CONFIGS = [(gpu, ctx) for gpu in (0, 40, 80) for ctx in (2048, 4096, 8192)]
SIZES = (1000, 2000, 4000, 8000)  # sentences; each states 1.5 figures on average
HOSTILE = {"0.0.0… reply": "0.", "bare numbers": "1 ", "dotted word": "a."}
HOSTILE_CHARS = (16_000, 32_000, 64_000)


def write_folder(root: Path, files: int = 200, seed: int = 3) -> None:
    rng = random.Random(seed)
    for i in range(files):
        lines = ["model,config_name,num_gpu,num_ctx,tokens_per_s,ttft_ms,load_ms"]
        for model in MODELS:
            for gpu, ctx in CONFIGS:
                for _ in range(3):
                    tps = rng.uniform(10, 250)
                    lines.append(
                        f"{model},gpu{gpu}_ctx{ctx},{gpu},{ctx},{tps:.4f},"
                        f"{rng.uniform(80, 400):.3f},{rng.uniform(50, 5000):.3f}"
                    )
        (root / f"bench_{i:03d}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def sentences(n: int, rng: random.Random) -> list[str]:
    return [
        f"On {rng.choice(MODELS)}, num_gpu=80 runs at {rng.uniform(10, 250):.2f} tok/s, "
        f"{rng.uniform(1, 90):.1f} % faster than CPU only."
        for _ in range(n // 2)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_folder(root, args.files)
        _, digest = ingest_folder(root, IngestOptions())
        known = PreparedData.of(digest).figures
        print(f"{len(known):,} known figures from {args.files} files")
        for layout, joiner in (("paragraphs", "\n\n"), ("one paragraph", " ")):
            per_figure = []
            for n in SIZES:
                text = joiner.join(sentences(n, random.Random(n)))
                start = time.perf_counter()
                check = check_figures({"report": text}, known)
                seconds = time.perf_counter() - start
                per_figure.append(1e3 * seconds / max(check.total, 1))
                print(
                    f"{layout:>14}: {check.total:>6,} figures in {seconds:6.2f} s "
                    f"= {per_figure[-1]:.2f} ms a figure"
                )
            growth = per_figure[-1] / per_figure[0]
            print(f"{layout:>14}: largest / smallest ms a figure = x{growth:.2f}")
        hostile(known)


def hostile(known: KnownFigures) -> None:
    """Seconds to check and review hostile text of growing length (linear: ratio near 1)."""
    for name, unit in HOSTILE.items():
        per_char = []
        for chars in HOSTILE_CHARS:
            text = unit * (chars // len(unit))
            start = time.perf_counter()
            check_figures({"report": text}, known)
            review_draft(text, set(), known, 10)
            seconds = time.perf_counter() - start
            per_char.append(seconds / chars)
            print(f"{name:>14}: {chars:>6,} characters in {seconds:6.2f} s")
        print(f"{name:>14}: largest / smallest s a character = x{per_char[-1] / per_char[0]:.2f}")


if __name__ == "__main__":
    main()
