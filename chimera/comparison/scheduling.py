"""Run order and host spreading for `chimera compare`.

Sequential runs follow a balanced (A B B A ...) order so slow drift (thermal throttling,
cache warm-up, a busy neighbour) does not favour either variant. Concurrent runs spread
requests over an agent's hosts (`chimera.engine.slots.HostSlots`, re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from chimera.engine.slots import HostSlots

__all__ = ["HostSlots", "balanced_order", "iter_balanced"]


def balanced_order(
    variants: Sequence[str], runs: int, warmup: int = 0
) -> list[tuple[int, str, bool]]:
    """The sequential schedule as (repetition index, variant, is_warmup), in execution order.

    Warm-up repetitions come first (flagged so their results can be dropped), then the
    measured ones. Within each block, repetition i runs every variant once: in the given
    order for even i, reversed for odd i (A B, B A, A B, ...). Indices are 0-based and
    counted separately for warm-up and measured repetitions, so measured repetition i is
    the i-th value of each variant. With an even `runs` every variant has the same mean
    position among the measured runs; with an odd `runs` the first variant leads slightly.
    """
    if not variants:
        raise ValueError("need at least one variant")
    if len(set(variants)) != len(variants):
        raise ValueError(f"variant names must be unique: {list(variants)}")
    if runs < 0 or warmup < 0:
        raise ValueError("runs and warmup must not be negative")
    forward = list(variants)
    backward = forward[::-1]
    order: list[tuple[int, str, bool]] = []
    for is_warmup, count in ((True, warmup), (False, runs)):
        for rep in range(count):
            for variant in forward if rep % 2 == 0 else backward:
                order.append((rep, variant, is_warmup))
    return order


def iter_balanced(variants: Sequence[str], count: int) -> Iterator[list[str]]:
    """The variant order of each of `count` repetitions (A B, B A, ...), made as asked:
    a long plan is never laid out in memory at once."""
    forward = list(variants)
    backward = forward[::-1]
    for rep in range(count):
        yield forward if rep % 2 == 0 else backward
