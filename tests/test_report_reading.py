"""The whole report read as its reader would (report6): what the report, its computed
sections and its page make of the findings, on small hand-made folders shaped like the real
ones where a sentence was found false or a section misleading."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from chimera.config.agent import IngestOptions
from chimera.findings.compute import compute_findings
from chimera.findings.finding import Finding
from chimera.findings.render import risks
from chimera.ingest.digest import ingest_folder


def _findings(folder: Path) -> list[Finding]:
    _, digest = ingest_folder(folder, IngestOptions())
    return compute_findings(digest)


def _runs(path: Path, rates: dict[str, list[float]]) -> None:
    rows = [
        {"model": "m:1b", "num_gpu": gpu, "tokens_per_s": rate}
        for gpu, values in rates.items()
        for rate in values
    ]
    pd.DataFrame(rows).to_csv(path, index=False)


def test_steady_repetitions_are_no_risk_and_a_duplicate_file_needs_no_new_runs(
    tmp_path: Path,
) -> None:
    """khunguraharman-m4-vs-rtx3080: "Unstable repetitions | F36: ... a coefficient of
    variation of 1.0 %; all 72 groups vary by less than 10 % | Re-measure before acting"
    was a risk row for steady runs, and a copied file (counted once) was told to be
    re-measured. Steady runs give no instability row; the copy's row says it is handled."""
    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.5, 49.5], "16": [80.0, 80.4, 79.6]})
    (tmp_path / "runs - Copy.csv").write_bytes((tmp_path / "runs.csv").read_bytes())
    findings = _findings(tmp_path)
    assert [f.verdict for f in findings if f.kind == "instability"] == ["info"]
    assert any(f.kind == "duplicates" for f in findings)
    table = risks(findings)
    assert "Unstable repetitions" not in table
    (duplicate_row,) = [row for row in table.splitlines() if "Runs kept in two files" in row]
    assert "Re-measure" not in duplicate_row
    assert "counted once in every figure" in duplicate_row


def test_unsteady_repetitions_are_a_risk_row(tmp_path: Path) -> None:
    """The same folder with one setup's runs 30 % apart: its instability is a risk row."""
    _runs(tmp_path / "runs.csv", {"8": [40.0, 55.0, 65.0], "16": [80.0, 80.4, 79.6]})
    findings = _findings(tmp_path)
    assert [f.verdict for f in findings if f.kind == "instability"] == ["real"]
    assert "| Unstable repetitions |" in risks(findings)


def _run(folder: Path, out: Path, reply: str = "x") -> Path:
    """The run folder of a whole run on the fake backend; its drafts rejected ("x" is too
    short), so Chimera writes every section."""
    import asyncio

    from chimera.backends.fake import FakeBackend, queue_reply
    from chimera.config.agent import AgentConfig
    from chimera.execution.runner import arun

    agent = AgentConfig(name="Fake", backend="fake", model="fake")
    backend = FakeBackend(reply=queue_reply(["{}", reply]))
    result = asyncio.run(arun(folder, agent, out=out, backend=backend))
    assert result.ok and result.run_dir is not None, result.error
    return result.run_dir


def _report(folder: Path, out: Path, reply: str = "x") -> str:
    """report.md of a whole run on the fake backend (see `_run`)."""
    return (_run(folder, out, reply) / "report.md").read_text()


def test_no_setting_change_is_said_once(tmp_path: Path) -> None:
    """er0080-vllm-bench-serve: the body's Optimisation Recommendations (Chimera's) said "The
    data supports no concrete setting change." and a second Recommendations section below
    said it again. Said once, in the body."""
    data = tmp_path / "data"
    data.mkdir()
    rows = [
        {"model": model, "tokens_per_s": rate + d}
        for model, rate in (("a:1b", 90.0), ("b:7b", 30.0))
        for d in (-0.5, 0.0, 0.5)
    ]
    pd.DataFrame(rows).to_csv(data / "runs.csv", index=False)
    report = _report(data, tmp_path / "runs")
    assert report.count("The data supports no concrete setting change.") == 1
    assert "## Recommendations" not in report


def test_the_count_of_findings_left_out_is_no_key_finding(tmp_path: Path) -> None:
    """dambergn-six-machines: "F34 2 more findings are not listed (2 machine comparison
    findings)" was Chimera's fifth key finding and closed the executive summary. It is a
    note on the list (the appendix keeps it), chosen by neither Chimera nor the model."""
    from chimera.findings.analysis import build_analysis
    from chimera.findings.compute import NOT_LISTED

    rows = [
        {"model": model, "num_gpu": gpu, "tokens_per_s": rate * gpu + d}
        for model, rate in (("a:1b", 9.0), ("b:3b", 5.0), ("c:7b", 2.0))
        for gpu in (8, 16)
        for d in (-0.2, 0.0, 0.2)
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "runs.csv", index=False)
    _, digest = ingest_folder(tmp_path, IngestOptions())
    findings = compute_findings(digest, per_kind=1)
    (note,) = [f for f in findings if f.title == NOT_LISTED]
    recs = [f.recommendation for f in findings if f.recommendation]
    for reply in ("{}", f'{{"key_findings": [{{"id": "{note.id}", "why": ""}}]}}'):
        analysis = build_analysis(findings, recs, reply, lambda _: None)
        chosen = [k.finding_id for k in analysis.key_findings]
        assert note.id not in chosen and len(chosen) == min(5, len(findings) - 1)


def test_the_pages_first_rates_say_they_are_the_runs_own_model_calls(tmp_path: Path) -> None:
    """Read first on the run page, a card "490.16 tok/s throughput" over a folder of RTX
    4090 benchmarks was taken for the data's rate: it was the stub model's. The cards sit
    under "This run", before the data's highlights, and each rate names Chimera's calls."""
    import re

    from tests.pages_site import make_run

    page = (make_run(tmp_path) / "report.html").read_text()
    assert page.index("<h2>This run</h2>") < page.index("<h2>Data Highlights</h2>")
    cards = page.split('<div class="cards">')[1].split("<h2>")[0]
    rates = re.findall(r'<div class="k">([^<]*(?:throughput|TTFT)[^<]*)</div>', cards)
    assert len(rates) == 2
    assert all(r.startswith("Chimera&#x27;s model calls: ") for r in rates), rates


def _verbose_capture(model: str, rate: float) -> str:
    """An `ollama run --verbose` capture of one short prompt (30 tokens)."""
    return (
        f"ollama run {model} --verbose\n>>> Why is the sky blue?\n"
        "total duration:       4s\nload duration:        20ms\n"
        "prompt eval count:    30 token(s)\nprompt eval duration: 50ms\n"
        "prompt eval rate:     600.00 tokens/s\neval count:           200 token(s)\n"
        f"eval duration:        3s\neval rate:            {rate:.2f} tokens/s\n"
    )


def test_the_summary_keeps_that_a_single_run_ranking_is_not_shown_real(tmp_path: Path) -> None:
    """dambergn-six-machines: the executive summary said "qwen2.5:0.5b is 7.8x as fast as
    qwen2.5:14b (throughput on 4060Ti) (F1)" and "qwen2.5:7b is 10.0x as fast as
    deepseek-r1:7b (prompt processing on 4060Ti)" where the findings said one run each, no
    verdict, and prompts of 10 to 37 tokens, no measure of prefill. The summary keeps both."""
    from chimera.findings.analysis import build_analysis
    from chimera.findings.render import summary

    (tmp_path / "llama3.2_1b.txt").write_text(_verbose_capture("llama3.2:1b", 120.0))
    (tmp_path / "llama3.2_3b.txt").write_text(_verbose_capture("llama3.2:3b", 60.0))
    findings = _findings(tmp_path)
    rankings = [f for f in findings if f.kind == "model_ranking"]
    assert rankings and all(f.verdict != "real" for f in rankings)
    analysis = build_analysis(findings, [], "{}", lambda _: None)
    said = summary(analysis, findings)
    for f in rankings:
        if f.id in {k.finding_id for k in analysis.key_findings}:
            sentence = said.split(f.short())[1].split(f"({f.id})")[0]
            assert "not shown beyond the run-to-run spread" in sentence
    prompt = [f for f in rankings if "prompt processing" in f.short()]
    assert prompt and "prompts too short to measure prefill" in said


def test_the_risk_table_names_comparisons_the_runs_do_not_back(tmp_path: Path) -> None:
    """dambergn-six-machines: every ranking and machine comparison rested on one run a side,
    and the risk table said "None the data shows". Those comparisons are named as a risk;
    a folder of repeated runs whose gaps are real has no such row."""
    (tmp_path / "llama3.2_1b.txt").write_text(_verbose_capture("llama3.2:1b", 120.0))
    (tmp_path / "llama3.2_3b.txt").write_text(_verbose_capture("llama3.2:3b", 60.0))
    findings = _findings(tmp_path)
    untested = [f.id for f in findings if f.kind == "model_ranking" and f.verdict != "real"]
    assert untested
    (row,) = [r for r in risks(findings).splitlines() if "Gaps the runs do not back" in r]
    assert all(fid in row for fid in untested[:4])
    repeated = tmp_path / "repeated"
    repeated.mkdir()
    rows = [
        {"model": model, "tokens_per_s": rate + d}
        for model, rate in (("a:1b", 90.0), ("b:7b", 30.0))
        for d in (-0.5, 0.0, 0.5)
    ]
    pd.DataFrame(rows).to_csv(repeated / "runs.csv", index=False)
    real = _findings(repeated)
    assert [f.verdict for f in real if f.kind == "model_ranking"] == ["real"]
    assert "Gaps the runs do not back" not in risks(real)


def test_a_chart_gives_each_machine_its_own_bar_and_names_it(tmp_path: Path) -> None:
    """dambergn-six-machines: the per-model chart showed each model's rate from whichever
    machine had the most rows, unnamed (deepseek-r1:1.5b from the 2xXeon beside gemma2:2b
    from the 4060Ti); khunguraharman's showed the M4's alone. Each model on each machine is
    a bar, named with its machine, and the caption says the machines are kept apart."""
    import html
    import re

    from chimera.pages.run_page import run_page_for

    data = tmp_path / "data"
    data.mkdir()
    for machine, speed in (("rtx4090", 4.0), ("macbook_air", 1.0)):
        for model, rate in (("llama3.2:1b", 30.0), ("llama3.2:3b", 15.0)):
            name = f"{model.replace(':', '_')}_{machine}.txt"
            (data / name).write_text(_verbose_capture(model, rate * speed))
    page = html.unescape(run_page_for(_run(data, tmp_path / "runs")))
    chart = page.split("<h3>Mean tokens/s by model</h3>")[1].split("</figure>")[0]
    labels = set(re.findall(r"<title>([^<]*)</title></text>", chart))  # each bar's label
    assert {
        "llama3.2:1b on rtx4090",
        "llama3.2:1b on macbook_air",
        "llama3.2:3b on rtx4090",
        "llama3.2:3b on macbook_air",
    } == labels, labels
    assert "per model on each machine apart" in chart


def test_what_the_analyst_wrote_and_the_report_left_out_is_listed(tmp_path: Path) -> None:
    """leoriccrown-num-ctx on the embedded model: the analyst's three interpretations said
    the prompt's instruction back and were dropped, and report.md said so nowhere (the list
    sat under Recommendations, which is not printed where the body's recommendations section
    is Chimera's). Quality lists them, once, whoever wrote the recommendations."""
    import asyncio

    from chimera.backends.fake import FakeBackend, queue_reply
    from chimera.config.agent import AgentConfig
    from chimera.execution.runner import arun

    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.5, 49.5], "16": [80.0, 80.4, 79.6]})
    findings = _findings(tmp_path)
    echo = "one sentence on what it means for tuning"
    reply = f'{{"key_findings": [{{"id": "{findings[0].id}", "why": "{echo}"}}]}}'
    backend = FakeBackend(reply=queue_reply([reply, "x"]))
    agent = AgentConfig(name="Fake", backend="fake", model="fake")
    result = asyncio.run(arun(tmp_path, agent, out=tmp_path / "runs", backend=backend))
    assert result.ok and result.report_path is not None, result.error
    report = result.report_path.read_text()
    assert report.count(f'"{echo}"') == 1
    assert f'"{echo}"' in report.split("## Quality")[1].split("## Appendix")[0]


def test_a_run_health_risk_without_a_recommendation_gets_its_own_mitigation() -> None:
    """connorsapps-cpu-vs-gpu: "Rows that loaded the model | F1: every call loaded the
    model in some files | Re-measure before acting": the rows are set apart already, and
    re-measuring the same way loads the model again. A failed run, a void session, a cold
    row and a copied file each get the step that meets them; an unsteady group still
    "Re-measure"."""
    cases = {
        "cold_start": "send one discarded call first",
        "errors": "Read the failed runs' errors",
        "void_sessions": "Fix the harness",
        "duplicates": "None needed",
        "sessions": "Re-measure before acting",
    }
    for kind, mitigation in cases.items():
        finding = Finding(id="F1", kind=kind, title="t", text="x", headline="a risk")  # type: ignore[arg-type]
        (row,) = risks([finding]).splitlines()[2:]
        assert row.startswith("| ") and "| F1: a risk |" in row, row
        assert mitigation in row.split("| F1: a risk |")[1], (kind, row)


def test_a_sentence_cited_as_a_claim_ends_once(tmp_path: Path) -> None:
    """simonmo-r1: "... max 1512.76 tok/s). (F3)." A finding whose short form is a whole
    sentence ends at its citation, once."""
    from chimera.findings.analysis import build_analysis
    from chimera.findings.render import summary

    pd.DataFrame({"model": ["m:1b"] * 3, "tokens_per_s": [50.0, 51.0, 49.0]}).to_csv(
        tmp_path / "runs.csv", index=False
    )
    findings = _findings(tmp_path)
    assert any(f.short().endswith(".") for f in findings)
    said = summary(build_analysis(findings, [], "{}", lambda _: None), findings)
    assert ". (F" not in said and ".." not in said.replace("...", "")


def test_a_rejected_drafts_figure_of_another_setting_is_not_called_absent(tmp_path: Path) -> None:
    """leoriccrown on the embedded model: the recommendations draft was rejected for "2 of 7
    figures not in the data (170.14 tok/s, 160.23 tok/s)", two rates a reader finds in the
    files (phi4-mini's and gpt-oss's best), named for another model or setting in the draft.
    The reason says which figures the data lacks and which it gives for something else."""
    from chimera.grounding.figures import KnownFigures, data_figures
    from chimera.grounding.review import review_draft

    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.0, 50.0], "16": [80.0, 80.0, 80.0]})
    _, digest = ingest_folder(tmp_path, IngestOptions())
    known = KnownFigures(data_figures(digest, compute_findings(digest)))
    draft = (
        "On m:1b, num_gpu=8 gives 80.00 tok/s, and num_gpu=16 gives 80.00 tok/s; the model "
        "peaks at 123.45 tok/s with num_gpu=16 according to these measurements."
    )
    review = review_draft(draft, set(), known, min_words=5)
    assert review.rejected is not None
    absent, elsewhere = review.rejected.split("; ")
    total = review.figures.total
    assert absent == f"1 of {total} figures not in the data (123.45 tok/s)"
    assert elsewhere.startswith(f"1 of {total} figures the data gives only for another model")
    assert elsewhere.endswith("(80.00 tok/s)")


def test_rows_left_out_of_every_figure_are_said_once(tmp_path: Path) -> None:
    """leoriccrown: two calls wrote every figure 0 (deepseek-r1:8b at num_ctx 81920 and
    102400); the digest left them out, and neither a finding nor a line of the report said
    so. What the Data Holds names them, once although a copy of the file repeats them."""
    from chimera.ingest.digest.coverage import coverage_lines

    rows = [{"model": "m:1b", "num_gpu": 8, "tokens_per_s": r} for r in (50.0, 0.0, 51.0, 49.0)]
    pd.DataFrame(rows).to_csv(tmp_path / "runs.csv", index=False)
    (tmp_path / "runs - Copy.csv").write_bytes((tmp_path / "runs.csv").read_bytes())
    _, digest = ingest_folder(tmp_path, IngestOptions())
    assert digest.dropped
    (line,) = [x for x in coverage_lines(digest) if "Left out of every figure" in x]
    assert line.startswith("- Left out of every figure: 1 row, ") and "runs.csv" in line
    assert "Copy" not in line


def test_the_reports_metrics_say_they_are_the_runs_own_calls(tmp_path: Path) -> None:
    """report.md's Metrics (the old tool's heading) give "Throughput: 0.75 tok/s" for the
    embedded model on a folder of RTX 4090 runs at 130 tok/s: the section says first whose
    figures they are."""
    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.5, 49.5], "16": [80.0, 80.4, 79.6]})
    report = _report(tmp_path, tmp_path / "runs")
    metrics = report.split("\n## Metrics\n", 1)[1]
    assert metrics.lstrip().startswith("_This run's own model calls")
    assert metrics.index("not the benchmark data") < metrics.index("- Throughput:")


def test_a_model_that_spilled_out_of_vram_is_a_risk_row(tmp_path: Path) -> None:
    """leoriccrown: four models spilled onto the CPU past a num_ctx (ollama ps 14%/86% and
    beyond), their rates 4-11x lower, and the risk table had no row for it. A finding whose
    placement shows a setup partly on the CPU is a risk row; a folder where every setup ran
    wholly on the GPU has none, and the row's figures trace."""
    from chimera.grounding.figures import KnownFigures, check_figures, data_figures

    def bench(folder: Path, spill: str) -> list[Finding]:
        folder.mkdir()
        rows = [
            {"model": "m:8b", "num_ctx": ctx, "tokens_per_second": rate + d, "processor": proc}
            for ctx, proc, rate in ((8192, "100% GPU", 130.0), (65536, spill, 30.0))
            for d in (-0.5, 0.0, 0.5)
        ]
        pd.DataFrame(rows).to_csv(folder / "bench.csv", index=False)
        return _findings(folder)

    spilled = bench(tmp_path / "spilled", "14%/86% CPU/GPU")
    table = risks(spilled)
    (row,) = [r for r in table.splitlines() if "no longer fits in VRAM" in r]
    assert "F1" in row
    _, digest = ingest_folder(tmp_path / "spilled", IngestOptions())
    check = check_figures({"report": table}, KnownFigures(data_figures(digest, spilled)))
    assert [c.text for c in check.claims if c.status != "traced"] == []
    assert "no longer fits in VRAM" not in risks(bench(tmp_path / "fits", "100% GPU"))
    # the summary citing F1 keeps why the rate fell
    from chimera.findings.analysis import build_analysis
    from chimera.findings.render import summary

    said = summary(build_analysis(spilled, [], "{}", lambda _: None), spilled)
    assert "spilled out of VRAM onto the CPU) (F1)" in said


def test_the_files_analyzed_line_takes_off_the_files_not_analysed(tmp_path: Path) -> None:
    """leoriccrown: "Files analyzed: 36" in the workflow summary, above "Not analysed: 12
    files" (system_info.json, no metric). The line gives the files analysed of those found."""
    data = tmp_path / "data"
    data.mkdir()
    _runs(data / "runs.csv", {"8": [50.0, 50.5, 49.5], "16": [80.0, 80.4, 79.6]})
    (data / "system_info.json").write_text('{"gpu_model": "NVIDIA GeForce RTX 4090"}')
    report = _report(data, tmp_path / "runs")
    (line,) = [x for x in report.splitlines() if x.startswith("- Files analyzed: ")]
    assert line.startswith("- Files analyzed: 1 of 2 (") and "1 not analysed" in line


def test_a_run_whose_every_section_is_chimeras_judges_no_model_text(tmp_path: Path) -> None:
    """leoriccrown on the embedded model: every draft rejected, the Quality list and the
    page's card said "persona compliance 0.0 %", read as a text that failed the persona;
    no text of the model's was in the report to judge."""
    from chimera.execution.report import NO_MODEL_TEXT
    from chimera.pages.run_page import run_page_for

    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.5, 49.5], "16": [80.0, 80.4, 79.6]})
    folder = _run(tmp_path, tmp_path / "runs")
    report = (folder / "report.md").read_text()
    assert f"- Persona requirements met by the model's text: {NO_MODEL_TEXT}" in report
    cards = run_page_for(folder).split('<div class="cards">')[1].split("<h2>")[0]
    card = '<div class="v">no model text kept</div><div class="k">persona compliance</div>'
    assert card in cards


def test_no_recommendations_section_is_asked_of_the_model_when_the_data_supports_none(
    tmp_path: Path,
) -> None:
    """khunguraharman and er0080 on the embedded model: the writer's prompt said
    "Recommendations supported by the data: (none)" and primed "1. For"; the model could only
    invent settings ("For each config, make sure that the server ..."), a five-minute call
    rejected every time. With no computed change the section is Chimera's, unasked, and the
    draft policy does not count it as a rejected draft."""
    import asyncio

    from chimera.backends.fake import FakeBackend
    from chimera.config.agent import AgentConfig
    from chimera.execution.runner import arun

    rows = [
        {"model": model, "tokens_per_s": rate + d}
        for model, rate in (("a:1b", 90.0), ("b:7b", 30.0))
        for d in (-0.5, 0.0, 0.5)
    ]
    pd.DataFrame(rows).to_csv(tmp_path / "runs.csv", index=False)
    backend = FakeBackend()
    agent = AgentConfig(name="Fake", backend="fake", model="fake")
    result = asyncio.run(arun(tmp_path, agent, out=tmp_path / "runs", backend=backend))
    assert result.ok and result.analysis is not None and result.report_path is not None
    assert not result.analysis.recommendations
    asked = ["\n".join(str(m.content) for m in call) for call in backend.calls]
    assert not any('section "Optimisation Recommendations"' in a for a in asked)
    assert any('section "Executive Summary"' in a for a in asked)  # the others were asked
    (recs,) = [s for s in result.sections if s.title == "Optimisation Recommendations"]
    assert recs.author == "chimera" and recs.not_asked and recs.rejected is None
    report = result.report_path.read_text()
    assert "The data supports no concrete setting change." in report
    assert "stopped asking the model" not in report


def test_a_summary_whose_only_figure_is_a_count_states_no_measurement(tmp_path: Path) -> None:
    """aukejw on the embedded model kept "The measurements show that the model with MLX
    (metal) has a better performance on the 14 models than it did for the same number of
    parameters.": its one figure, "14 models", traced as a count of the data, and met the
    summary's one figure wanted. A count measures nothing: such a draft is rejected; one
    stating a rate of the data is kept."""
    from chimera.grounding.figures import KnownFigures, data_figures
    from chimera.grounding.review import review_draft

    _runs(tmp_path / "runs.csv", {"8": [50.0, 50.0, 50.0], "16": [80.0, 80.0, 80.0]})
    _, digest = ingest_folder(tmp_path, IngestOptions())
    known = KnownFigures(data_figures(digest, compute_findings(digest)))
    counted = "The measurements show that the model has a better performance on the 6 runs."
    assert review_draft(counted, set(), known, 5).figures.traced == 1  # "6 runs": a count
    rejected = review_draft(counted, set(), known, 5, min_figures=1).rejected
    assert rejected is not None and rejected.startswith("states 0 measured figures")
    rated = "The measurements show that m:1b reaches 80.00 tok/s with num_gpu=16."
    assert review_draft(rated, set(), known, 5, min_figures=1).rejected is None
