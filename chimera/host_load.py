"""The load of the machine a run was measured on: was it quiet, or shared with other work?

The same model and seed ran at 1.59 tok/s in one quick start and 14.98 tok/s an hour later,
with nothing to explain the difference. So every run records, before and after its work,
the load average and the cores it may use, and over its work the CPU time this process used
and (on Linux, from /proc/stat) the CPU time the whole machine used. Other processes' share
is the machine's busy time less this process's, as a share of all cores over the wall time.

`busy_reason` says whether a run was measured on a busy machine, and why, so a comparison
or a sweep can flag repetitions that were. The rule, stated once: busy when other processes
used at least `BUSY_OTHERS_SHARE` of the cores' time; where /proc/stat cannot be read, when
the load average before the run was at least `BUSY_LOAD_PER_CORE` per core.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

from pydantic import BaseModel, Field

# Other processes using a quarter of the machine slow a run that wants every core (the
# embedded model's threads) by about as much: enough to make a timing a different one.
BUSY_OTHERS_SHARE = 0.25
# Without /proc/stat: a load average of half a runnable thread per core before the run.
BUSY_LOAD_PER_CORE = 0.5


def usable_cores() -> int:
    """The cores this process may run on (its affinity), else the machine's count."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def load_average() -> tuple[float, float, float] | None:
    """1, 5 and 15 minute load averages; None where the system has none."""
    try:
        one, five, fifteen = os.getloadavg()
    except (AttributeError, OSError):
        return None
    return (round(one, 2), round(five, 2), round(fifteen, 2))


def _machine_cpu_s() -> float | None:
    """Seconds of CPU time all cores of the machine spent busy since boot (Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = stat.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    try:
        # user nice system idle iowait irq softirq steal [guest guest_nice]: guest time is
        # already counted in user, so only the first eight, less idle and iowait.
        ticks = [int(v) for v in fields[1:9]]
    except ValueError:
        return None
    busy = sum(ticks) - ticks[3] - (ticks[4] if len(ticks) > 4 else 0)
    return busy / os.sysconf("SC_CLK_TCK")


def _process_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


class HostLoad(BaseModel):
    """The machine's load around one run (one session of it, when resumed)."""

    cores: int = Field(description="cores this process may use")
    load_before: tuple[float, float, float] | None = Field(
        None, description="1/5/15-minute load average before the run; None: not measured"
    )
    load_after: tuple[float, float, float] | None = None
    cores_after: int | None = None
    wall_s: float = Field(description="the time measured over")
    process_cpu_s: float = Field(description="CPU time this process used (user + system)")
    process_cpu_share: float = Field(
        description="process_cpu_s / (wall_s x cores): the share of the machine it used"
    )
    others_cpu_share: float | None = Field(
        None,
        description="the share of all the machine's cores' time other processes used (busy"
        " time from /proc/stat less this process's); None: not measured",
    )

    @property
    def busy(self) -> bool:
        return busy_reason(self) is not None

    def summary(self) -> str:
        """One line for a report: the load, the CPU shares, and whether it was busy."""
        parts = []
        if self.load_before is not None and self.load_after is not None:
            parts.append(
                f"load average {self.load_before[0]:.2f} before, {self.load_after[0]:.2f} after"
            )
        else:
            parts.append("load average not measured")
        cores = f"{self.cores} cores" if self.cores != 1 else "1 core"
        if self.cores_after is not None and self.cores_after != self.cores:
            cores += f" ({self.cores_after} after)"
        parts.append(f"on {cores}")
        shares = f"this process used {100 * self.process_cpu_share:.0f} % of their time"
        if self.others_cpu_share is not None:
            shares += f", other processes {100 * self.others_cpu_share:.0f} %"
        reason = busy_reason(self)
        verdict = f"**a busy machine**: {reason}" if reason else "a quiet machine"
        return f"{' '.join(parts)}; {shares} ({verdict})"


def busy_reason(load: HostLoad | None) -> str | None:
    """Why a run counts as measured on a busy machine, or None (quiet, or not recorded)."""
    if load is None:
        return None
    if load.others_cpu_share is not None:
        if load.others_cpu_share >= BUSY_OTHERS_SHARE:
            return (
                f"other processes used {100 * load.others_cpu_share:.0f} % of the cores' time"
                f" (at least {100 * BUSY_OTHERS_SHARE:.0f} % counts as busy)"
            )
        return None
    if load.load_before is not None and load.load_before[0] >= BUSY_LOAD_PER_CORE * load.cores:
        return (
            f"load average {load.load_before[0]:.2f} on {load.cores} cores before the run"
            f" (at least {BUSY_LOAD_PER_CORE:g} per core counts as busy)"
        )
    return None


def was_busy(host_load: HostLoad | dict | None) -> bool | None:
    """Whether a run was measured on a busy machine: its `host_load` (a HostLoad, or the dict
    run.json holds); None when the run did not record one (runs of older versions)."""
    if host_load is None:
        return None
    load = host_load if isinstance(host_load, HostLoad) else HostLoad.model_validate(host_load)
    return load.busy


@dataclass
class HostLoadMeter:
    """Started before a run's work, `finish()`ed after it."""

    cores: int
    load_before: tuple[float, float, float] | None
    started: float
    process_cpu: float
    machine_cpu: float | None

    @classmethod
    def start(cls) -> HostLoadMeter:
        return cls(
            cores=usable_cores(),
            load_before=load_average(),
            started=time.perf_counter(),
            process_cpu=_process_cpu_s(),
            machine_cpu=_machine_cpu_s(),
        )

    def finish(self) -> HostLoad:
        wall = max(time.perf_counter() - self.started, 1e-9)
        own = max(_process_cpu_s() - self.process_cpu, 0.0)
        machine = _machine_cpu_s()
        capacity = wall * self.cores
        others = None
        if machine is not None and self.machine_cpu is not None:
            # /proc/stat counts every core of the machine, not only those this process may
            # use; capped to [0, 1] against clock-tick rounding on short runs.
            all_cores = wall * (os.cpu_count() or self.cores)
            others = min(max((machine - self.machine_cpu - own) / all_cores, 0.0), 1.0)
        cores_after = usable_cores()
        return HostLoad(
            cores=self.cores,
            load_before=self.load_before,
            load_after=load_average(),
            cores_after=cores_after,
            wall_s=round(wall, 3),
            process_cpu_s=round(own, 3),
            process_cpu_share=round(min(own / capacity, 1.0), 4),
            others_cpu_share=None if others is None else round(others, 4),
        )
