"""The public API (`chimera.__all__`) is what the README says, whatever was imported before it.

The lazy `__getattr__` in chimera/__init__.py once lost `chimera.compare` to the submodule
`chimera/compare.py` as soon as the CLI imported it; these tests keep that from returning.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import tomllib
from pathlib import Path
from types import FunctionType, ModuleType

import pytest

import chimera
import chimera.cli  # noqa: F401  (the import that used to shadow chimera.compare)
from chimera.config.agent import AgentConfig

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data"


def all_modules() -> list[str]:
    """Every module Chimera installs, the package-dir ones (chimera.agents, ...) included."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    packages = project["tool"]["setuptools"]["packages"]
    names = set(packages)
    for package in packages:
        path = importlib.import_module(package).__path__
        names |= {f"{package}.{m.name}" for m in pkgutil.iter_modules(path)}
    return sorted(names - {"chimera.__main__"})  # __main__ would run the CLI


def public_functions() -> set[str]:
    return {n for n in chimera.__all__ if isinstance(getattr(chimera, n), FunctionType)}


def test_every_public_name_resolves_to_the_same_non_module_object_after_the_cli_import() -> None:
    for name in chimera.__all__:
        first, second = getattr(chimera, name), getattr(chimera, name)
        assert first is second, name
        assert not isinstance(first, ModuleType), f"chimera.{name} is a module"


def test_importing_every_module_leaves_every_public_name_in_place() -> None:
    """A submodule imported anywhere must not replace a public name of `chimera`."""
    before = {name: getattr(chimera, name) for name in chimera.__all__}
    for module in all_modules():
        importlib.import_module(module)
    replaced = [name for name, obj in before.items() if getattr(chimera, name) is not obj]
    assert replaced == []


def test_no_module_shares_its_name_with_a_public_function() -> None:
    functions = public_functions()
    assert {"run", "compare", "arun", "acompare"} <= functions  # the check has teeth
    clashes = [m for m in all_modules() if m.rsplit(".", 1)[-1] in functions]
    assert clashes == []


def test_dir_lists_the_lazily_imported_names() -> None:
    missing = [name for name in chimera.__all__ if name not in dir(chimera)]
    assert missing == []


def test_blocking_twins_spell_out_the_async_functions_parameters() -> None:
    """help(chimera.compare) names runs, mode, ...; `**kwargs` would hide them."""
    twins = {chimera.compare: chimera.acompare, chimera.run: chimera.arun}
    for blocking, asynchronous in twins.items():
        params = inspect.signature(blocking).parameters
        async_params = inspect.signature(asynchronous).parameters
        variadic = (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
        assert not [p for p in params.values() if p.kind in variadic], blocking.__name__
        for name, param in params.items():
            assert param == async_params[name], (blocking.__name__, name)
    # compare takes exactly acompare's parameters (run leaves out arun's backend and host).
    assert inspect.signature(chimera.compare) == inspect.signature(chimera.acompare)


def test_run_and_compare_work_on_the_fake_backend_after_the_cli_import(tmp_path: Path) -> None:
    config = AgentConfig(name="API Fake", backend="fake", model="fake")
    other = AgentConfig(name="API Fake Two", backend="fake", model="fake")
    result = chimera.run(EXAMPLE, config, out=tmp_path / "runs")
    assert isinstance(result, chimera.RunResult) and result.ok, result.error
    assert result.report_path is not None
    assert result.report_path.is_relative_to(tmp_path / "runs")
    assert result.report_path.read_text(encoding="utf-8").startswith("# API Fake")

    comparison = chimera.compare(EXAMPLE, [config, other], runs=2, out=tmp_path / "cmp")
    assert isinstance(comparison, chimera.ComparisonResult)
    assert comparison.out_dir is not None
    out_dir = Path(comparison.out_dir)
    assert out_dir.is_relative_to(tmp_path / "cmp") and (out_dir / "summary.md").is_file()
    assert list(comparison.deltas) == ["B vs A"]
    assert [r.index for r in comparison.measured] == [1, 2]


def test_run_reports_progress_on_stderr_by_default_and_is_silent_with_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded model is silent for minutes otherwise: each node and each model call is a
    line on stderr unless progress=None; the report path is absolute either way."""
    monkeypatch.chdir(tmp_path)
    config = AgentConfig(name="Chatty", backend="fake", model="fake")
    result = chimera.run(EXAMPLE, config, out="runs")  # relative to the working folder
    err = capsys.readouterr().err
    assert result.ok and result.report_path is not None
    assert result.report_path.is_absolute() and result.report_path.is_file()
    assert result.report_path.is_relative_to(tmp_path / "runs")
    assert "Chatty: ingest ..." in err and "Chatty: checks done" in err
    assert 'Chatty: report section 1 of 3 "Executive Summary": prompt of ~' in err
    assert "Chatty: analysis model call: " in err and " tokens in " in err

    quiet = chimera.run(EXAMPLE, config, out="runs", progress=None)
    assert quiet.ok and capsys.readouterr().err == ""
