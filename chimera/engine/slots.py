"""Host slots: an agent's servers handed out least-loaded first, a cap on runs in flight each.

Shared by every executor of `chimera.engine`: a comparison's variants and a sweep's cells
take their hosts from here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager


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
