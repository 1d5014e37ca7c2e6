"""Sweep grids: the --grid grammar, sweep files, cells validated before any run, run order."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from chimera.config.agent import AgentConfig, ModelOptions
from chimera.errors import ConfigError
from chimera.sweep.cells import make_cells
from chimera.sweep.plan import make_schedule, round_orders
from chimera.sweep.spec import (
    expand_range,
    grid_points,
    merge_request,
    parse_exclude_flag,
    parse_grid_flag,
)

BASE = AgentConfig(name="Base", backend="ollama", options=ModelOptions(num_ctx=2048))


def request(*grid: str, **extra: object):
    fields = dict(exclude=[], config=None, data=None, runs=None, warmup=None, objective=None,
                  order=None, seed=None, name=None)  # fmt: skip
    fields.update(extra)
    return merge_request(None, grid=grid, **fields)  # type: ignore[arg-type]


def test_values_and_ranges() -> None:
    """Lists, inclusive ranges (ints and floats), YAML scalars and `default` for unset."""
    assert parse_grid_flag("num_gpu=16,48").values == [[16], [48]]
    assert expand_range("40-120+20") == [40, 60, 80, 100, 120]
    assert expand_range("0.2-0.8+0.2") == [0.2, 0.4, 0.6, 0.8]
    assert expand_range("16,48") is None
    assert parse_grid_flag("model=gemma3:4b,gemma3:12b").values == [["gemma3:4b"], ["gemma3:12b"]]
    assert parse_grid_flag("num_ctx=default,4096").values == [[None], [4096]]
    assert parse_grid_flag("options.temperature=0.6").keys == ["temperature"]


def test_linked_keys_vary_together() -> None:
    axis = parse_grid_flag("num_gpu,num_ctx=16:1024,48:4096")
    assert axis.keys == ["num_gpu", "num_ctx"]
    points = grid_points([axis, parse_grid_flag("temperature=0.2,0.8")])
    assert points == [
        {"num_gpu": 16, "num_ctx": 1024, "temperature": 0.2},
        {"num_gpu": 16, "num_ctx": 1024, "temperature": 0.8},
        {"num_gpu": 48, "num_ctx": 4096, "temperature": 0.2},
        {"num_gpu": 48, "num_ctx": 4096, "temperature": 0.8},
    ]


def test_exclusions_drop_matching_points() -> None:
    axes = [parse_grid_flag("num_gpu=16,48"), parse_grid_flag("num_ctx=1024,4096")]
    points = grid_points(axes, [parse_exclude_flag("num_gpu=16,num_ctx=4096")])
    assert {(p["num_gpu"], p["num_ctx"]) for p in points} == {(16, 1024), (48, 1024), (48, 4096)}
    with pytest.raises(ConfigError, match="'top_k', which is not swept"):
        grid_points(axes, [{"top_k": 1}])


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("num_gpux=1,2", "unknown sweep key 'num_gpux'"),
        ("num_gpu", "is not KEY=VALUES"),
        ("num_gpu=120-40+20", "the end is below the start"),
        ("num_gpu=16,16", "a value is listed twice"),
        ("num_gpu,num_ctx=16:1024,48", "gives 1 value(s) for 2 linked keys"),
    ],
)
def test_bad_grid_flags_are_one_line_naming_the_problem(flag: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_grid_flag(flag)
    assert message in info.value.one_line() and "\n" not in info.value.one_line()


def test_a_bad_value_is_refused_before_anything_runs_naming_key_and_value() -> None:
    points = grid_points([parse_grid_flag("num_ctx=64,1024")])
    with pytest.raises(ConfigError) as info:
        make_cells(BASE, points)
    line = info.value.one_line()
    assert "num_ctx=64" in line and "'options.num_ctx'" in line and "128" in line


def test_the_base_config_runs_as_baseline_unless_a_cell_has_its_values() -> None:
    """num_ctx=2048 is the base's own value: that cell is the baseline, no extra cell."""
    own = make_cells(BASE, grid_points([parse_grid_flag("num_ctx=1024,2048")]))
    assert [(c.label, c.baseline) for c in own] == [("ctx1024", False), ("ctx2048", True)]
    extra = make_cells(BASE, grid_points([parse_grid_flag("num_gpu=16,48")]))
    assert [(c.label, c.baseline, c.in_grid) for c in extra] == [
        ("gpu16", False, True),
        ("gpu48", False, True),
        ("base", True, False),
    ]
    assert extra[0].config.options.num_gpu == 16 and extra[0].config.options.num_ctx == 2048
    assert extra[2].config == BASE


def test_the_embedded_backend_refuses_num_gpu_with_one_clear_line() -> None:
    embedded = AgentConfig(name="E", backend="embedded")
    with pytest.raises(ConfigError) as info:
        make_cells(embedded, grid_points([parse_grid_flag("num_gpu=16,48")]))
    line = info.value.one_line()
    assert line.startswith("num_gpu does not apply to the embedded backend")
    assert "num_ctx" in line and "embedded_threads" in line  # what it can sweep instead
    cells = make_cells(
        embedded,
        grid_points(
            [parse_grid_flag("num_ctx=1024,2048"), parse_grid_flag("embedded_threads=1,2")]
        ),
    )
    assert cells[0].config.embedded_threads == 1 and cells[0].config.options.num_ctx == 1024


def test_persona_and_model_can_be_swept() -> None:
    cells = make_cells(BASE, grid_points([parse_grid_flag("persona=insight_agent,terse")]))
    assert [c.config.personas.writer for c in cells if c.in_grid] == ["insight_agent", "terse"]
    assert cells[0].baseline  # insight_agent is the base's writer persona


def test_sweep_file_with_ranges_links_and_flags_overriding(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    spec = tmp_path / "sub" / "sweep.yaml"
    spec.write_text(
        "config: ../agent.yaml\n"
        "grid: {num_gpu: 40-80+20, temperature: [0.6, 0.8]}\n"
        "linked: [{num_ctx: [1024, 2048], num_predict: [100, 200]}]\n"
        "exclude: [{num_gpu: 80, temperature: 0.8}]\n"
        "runs: 5\n"
        "order: shuffled\n"
    )
    merged = merge_request(spec, grid=["temperature=0.2"], exclude=[], config=None, data=None,
                           runs=None, warmup=2, objective="ttft", order=None, seed=None,
                           name=None)  # fmt: skip
    assert merged.config == tmp_path / "sub" / "../agent.yaml"
    assert merged.runs == 5 and merged.warmup == 2 and merged.order == "shuffled"
    assert merged.objective == "ttft"
    keys = [axis.keys for axis in merged.axes]
    assert keys == [["num_gpu"], ["num_ctx", "num_predict"], ["temperature"]]  # flag replaced
    points = grid_points(merged.axes, merged.exclude)
    assert len(points) == 3 * 2 * 1  # 80 with 0.8 no longer exists, so nothing is excluded


def test_sweep_file_errors_name_the_file(tmp_path: Path) -> None:
    spec = tmp_path / "sweep.yaml"
    spec.write_text("grid: {num_gpux: [1, 2]}\n")
    with pytest.raises(ConfigError, match=r"sweep.yaml: unknown sweep key 'num_gpux'"):
        merge_request(spec, grid=[], exclude=[], config=None, data=None, runs=None, warmup=None,
                      objective=None, order=None, seed=None, name=None)  # fmt: skip
    spec.write_text("grids: {}\n")
    with pytest.raises(ConfigError, match="unknown key 'grids'"):
        merge_request(spec, grid=[], exclude=[], config=None, data=None, runs=None, warmup=None,
                      objective=None, order=None, seed=None, name=None)  # fmt: skip


def test_nothing_to_sweep_is_refused() -> None:
    with pytest.raises(ConfigError, match="nothing to sweep"):
        request()


def test_rotated_rounds_put_every_cell_in_every_position_equally() -> None:
    """Four cells, four rounds: each cell is first, second, third and fourth once."""
    orders = round_orders(["a", "b", "c", "d"], 4, "rotated", 0)
    for cell in "abcd":
        assert sorted(order.index(cell) for order in orders) == [0, 1, 2, 3]
    shuffled = round_orders(["a", "b", "c", "d"], 6, "shuffled", 7)
    assert shuffled == round_orders(["a", "b", "c", "d"], 6, "shuffled", 7)  # seeded
    assert all(sorted(o) == ["a", "b", "c", "d"] for o in shuffled)


def test_schedule_runs_warmups_first_and_every_cell_once_per_round() -> None:
    schedule = make_schedule(["a", "b", "c"], runs=2, warmup=1, order="rotated", seed=0)
    assert [(s.kind, s.round) for s in schedule[:3]] == [("warmup", 1)] * 3
    measured = [s for s in schedule if s.kind == "run"]
    assert Counter(s.cell for s in measured) == {"a": 2, "b": 2, "c": 2}
    assert [s.cell for s in measured] == ["b", "c", "a", "c", "a", "b"]  # rounds 2 and 3 rotated
