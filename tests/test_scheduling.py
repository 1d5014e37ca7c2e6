"""chimera.comparison.scheduling: balanced run order and host spreading."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from contextlib import AsyncExitStack
from statistics import fmean

import pytest

from chimera.comparison.scheduling import HostSlots, balanced_order

H1, H2, H3 = "http://gpu1:11434", "http://gpu2:11434", "http://gpu3:11434"
AB = ("A", "B")  # the usual A/B comparison

# ---------------------------------------------------------------- run order


def test_ab_order_exact_with_warmup() -> None:
    """runs=4, warmup=1: one warm-up pair, then A B | B A | A B | B A."""
    assert balanced_order(AB, 4, warmup=1) == [
        (0, "A", True), (0, "B", True),
        (0, "A", False), (0, "B", False),
        (1, "B", False), (1, "A", False),
        (2, "A", False), (2, "B", False),
        (3, "B", False), (3, "A", False),
    ]  # fmt: skip


def test_ab_order_pattern() -> None:
    """Eight measured reps read A B B A repeated."""
    assert "".join(v for _, v, _ in balanced_order(AB, 8)) == "ABBA" * 4
    assert balanced_order(AB, 0) == []


def _mean_positions(order: list[tuple[int, str, bool]]) -> dict[str, float]:
    positions: dict[str, list[int]] = defaultdict(list)
    for position, (_, variant, is_warmup) in enumerate(order):
        if not is_warmup:
            positions[variant].append(position)
    return {v: fmean(p) for v, p in positions.items()}


@pytest.mark.parametrize("runs", [2, 4, 10])
@pytest.mark.parametrize("warmup", [0, 1, 3])
def test_ab_order_is_balanced(runs: int, warmup: int) -> None:
    """With even runs, A and B have the same mean position, so drift favours neither."""
    means = _mean_positions(balanced_order(AB, runs, warmup))
    assert means["A"] == means["B"]


def test_balanced_order_three_variants() -> None:
    """x y z | z y x: every variant's mean position is (0+5)/2 = (1+4)/2 = (2+3)/2 = 2.5."""
    order = balanced_order(["x", "y", "z"], runs=2)
    assert [v for _, v, _ in order] == ["x", "y", "z", "z", "y", "x"]
    assert _mean_positions(order) == {"x": 2.5, "y": 2.5, "z": 2.5}


def test_odd_runs_lean_towards_first_variant() -> None:
    """runs=3 is A B B A A B: A at 0, 3, 4 (mean 2.33) vs B at 1, 2, 5 (2.67): documented."""
    means = _mean_positions(balanced_order(AB, 3))
    assert means["A"] < means["B"]


def test_each_measured_rep_runs_every_variant_once() -> None:
    """Measured rep i holds exactly one A and one B, so a[i] and b[i] can be paired."""
    order = balanced_order(AB, 6, warmup=2)
    for rep in range(6):
        assert sorted(v for r, v, w in order if r == rep and not w) == ["A", "B"]
    assert sum(w for _, _, w in order) == 4  # 2 warm-up reps x 2 variants


def test_order_rejects_bad_input() -> None:
    """Duplicate variants or negative counts are errors."""
    with pytest.raises(ValueError):
        balanced_order(["A", "A"], runs=2)
    with pytest.raises(ValueError):
        balanced_order([], runs=2)
    with pytest.raises(ValueError):
        balanced_order(AB, -1)
    with pytest.raises(ValueError):
        balanced_order(AB, 2, warmup=-1)


# ---------------------------------------------------------------- HostSlots


async def _spread(slots: HostSlots, reps: int) -> tuple[dict[str, int], dict[str, int], int]:
    """Run `reps` tasks that hold a slot for 10 ms; return per-host max, uses, and global max."""
    current: dict[str, int] = defaultdict(int)
    peak: dict[str, int] = defaultdict(int)
    used: dict[str, int] = defaultdict(int)
    total = [0, 0]  # now, max

    async def rep() -> None:
        async with slots.acquire() as host:
            current[host] += 1
            used[host] += 1
            total[0] += 1
            peak[host] = max(peak[host], current[host])
            total[1] = max(total[1], total[0])
            await asyncio.sleep(0.01)
            current[host] -= 1
            total[0] -= 1

    await asyncio.gather(*(rep() for _ in range(reps)))
    return dict(peak), dict(used), total[1]


def test_host_slots_limit_one() -> None:
    """6 reps, 2 hosts, limit 1: never 2 in flight on a host, both used, 3 reps each."""
    slots = HostSlots([H1, H2], limit=1)
    peak, used, overall = asyncio.run(_spread(slots, 6))
    assert peak == {H1: 1, H2: 1}
    assert overall == 2  # blocked the other 4 until a slot freed
    assert used == {H1: 3, H2: 3}


def test_host_slots_limit_two() -> None:
    """Limit 2: up to 2 in flight per host, 4 overall, still balanced."""
    slots = HostSlots([H1, H2], limit=2)
    peak, used, overall = asyncio.run(_spread(slots, 6))
    assert peak == {H1: 2, H2: 2}
    assert overall == 4
    assert used == {H1: 3, H2: 3}


def test_host_slots_prefers_least_loaded_over_round_robin() -> None:
    """H1 busy, H2 freed: the next slot goes to idle H2, although round robin says H1."""

    async def scenario() -> list[str]:
        slots = HostSlots([H1, H2], limit=2)
        got = []
        async with AsyncExitStack() as hold:
            got.append(await hold.enter_async_context(slots.acquire()))  # H1 (tie -> first)
            async with slots.acquire() as second:  # H2 (least loaded)
                got.append(second)
            got.append(await hold.enter_async_context(slots.acquire()))  # H2: load 0 < 1
            got.append(await hold.enter_async_context(slots.acquire()))  # tie 1/1 -> H1
        return got

    assert asyncio.run(scenario()) == [H1, H2, H2, H1]


def test_host_slots_ties_go_round_robin() -> None:
    """Sequential use (load always 0) cycles H1 H2 H3 H1."""

    async def scenario() -> list[str]:
        slots = HostSlots([H1, H2, H3])
        got = []
        for _ in range(4):
            async with slots.acquire() as host:
                got.append(host)
        return got

    assert asyncio.run(scenario()) == [H1, H2, H3, H1]


def test_host_slots_built_outside_loop_and_reused_across_loops() -> None:
    """No loop is bound at construction; a second asyncio.run works too."""
    slots = HostSlots([H1, H2], limit=1)
    first = asyncio.run(_spread(slots, 2))
    second = asyncio.run(_spread(slots, 2))
    assert first == second == ({H1: 1, H2: 1}, {H1: 1, H2: 1}, 2)


def test_cancelled_waiter_and_holder_do_not_leak_slots() -> None:
    """Cancelling a task that waits for, or holds, a slot leaves every slot free again."""

    async def scenario() -> str:
        slots = HostSlots([H1], limit=1)
        release = asyncio.Event()

        async def hold() -> None:
            async with slots.acquire():
                await release.wait()

        holder = asyncio.create_task(hold())
        await asyncio.sleep(0)
        waiter = asyncio.create_task(hold())
        await asyncio.sleep(0.01)
        waiter.cancel()
        holder.cancel()
        await asyncio.gather(holder, waiter, return_exceptions=True)
        async with asyncio.timeout(1), slots.acquire() as host:  # would hang if a slot leaked
            return host

    assert asyncio.run(scenario()) == H1


def test_host_slots_rejects_bad_input() -> None:
    """No hosts, duplicate hosts or a limit below 1 are errors."""
    with pytest.raises(ValueError):
        HostSlots([])
    with pytest.raises(ValueError):
        HostSlots([H1, H1])
    with pytest.raises(ValueError):
        HostSlots([H1], limit=0)
