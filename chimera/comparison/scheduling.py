"""Run order and host spreading for `chimera compare`.

Sequential runs follow a balanced (A B B A ...) order so slow drift (thermal throttling,
cache warm-up, a busy neighbour) does not favour either variant. Concurrent runs spread
requests over an agent's Ollama hosts with a per-host cap on requests in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager


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


class HostSlots:
    """Hands out an agent's Ollama hosts, least-loaded first, at most `limit` in flight each.

        slots = HostSlots(["http://gpu1:11434", "http://gpu2:11434"], limit=1)
        async with slots.acquire() as host:
            ...  # call the model on `host`

    Ties in load go round robin. `acquire` blocks while every host is at its limit. The
    asyncio primitive is created on first use inside the running loop, so an instance may
    be built anywhere (even at import time of a caller) and reused by a later event loop.
    """

    def __init__(self, hosts: Sequence[str], limit: int = 1) -> None:
        if not hosts:
            raise ValueError("need at least one host")
        if len(set(hosts)) != len(hosts):
            raise ValueError(f"hosts must be unique: {list(hosts)}")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.hosts: tuple[str, ...] = tuple(hosts)
        self.limit = limit
        self._in_flight = dict.fromkeys(self.hosts, 0)
        self._next = 0  # round-robin cursor for ties
        self._cond: asyncio.Condition | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _condition(self) -> asyncio.Condition:
        loop = asyncio.get_running_loop()
        if self._cond is None or self._loop is not loop:
            if any(self._in_flight.values()):
                raise RuntimeError("HostSlots is in use by another event loop")
            self._cond, self._loop = asyncio.Condition(), loop
        return self._cond

    def _has_free(self) -> bool:
        return any(n < self.limit for n in self._in_flight.values())

    def _pick(self) -> str:
        """Least-loaded free host; among equals the first at or after the cursor."""
        size = len(self.hosts)
        rotated = [self.hosts[(self._next + i) % size] for i in range(size)]
        host = min(
            (h for h in rotated if self._in_flight[h] < self.limit),
            key=lambda h: self._in_flight[h],
        )
        self._next = (self.hosts.index(host) + 1) % size
        return host

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[str]:
        """Hold a slot on the least-loaded host for the duration of the block."""
        cond = self._condition()
        async with cond:
            await cond.wait_for(self._has_free)
            host = self._pick()
            self._in_flight[host] += 1
        try:
            yield host
        finally:
            # Shielded so a cancellation arriving now cannot leak the slot.
            await asyncio.shield(self._release(cond, host))

    async def _release(self, cond: asyncio.Condition, host: str) -> None:
        async with cond:
            self._in_flight[host] -= 1
            # notify_all, not notify(1): a woken waiter that is then cancelled would
            # otherwise swallow the wake-up and leave a free slot unused.
            cond.notify_all()
