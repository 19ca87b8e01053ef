"""Who used the machine's processors over a stretch of a benchmark (Linux ``/proc``).

``Clock(server_folder)`` reads, at ``start()`` and ``stop()``: the whole machine's busy time
(``/proc/stat``: every processor's user, system, interrupt and steal time), the benchmark
cluster's (its postmaster and every process it started, those that ended included: a process
reaped by the postmaster adds to its children's time), and this process's children's that
ended meanwhile (``RUSAGE_CHILDREN``). The benchmark adds what its own worker processes report
(``process_seconds``). What is left of the machine's busy time is everyone else's. The
kernel's pressure stall figures (``/proc/pressure/cpu`` and ``io``, "some") say for what share
of the stretch at least one task was ready to run but waited for a processor, or waited for
the disk.
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def process_seconds() -> float:
    """CPU seconds of this process so far, every thread."""
    t = os.times()
    return t.user + t.system


def machine_busy() -> tuple[float, int]:
    """Busy CPU seconds of the whole machine since boot, and the number of processors."""
    with open("/proc/stat", encoding="ascii") as f:
        lines = f.read().splitlines()
    fields = [int(x) for x in lines[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    cpus = sum(1 for line in lines if line.startswith("cpu") and line[3:4].isdigit())
    return (user + nice + system + irq + softirq + steal) / _TICK, cpus


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return raw[raw.rindex(")") + 2 :].split()  # fields from the third on (state, ppid, ...)


def cluster_pids(folder: str) -> list[int]:
    """The postmaster of the cluster in ``folder`` first, then every live process it started."""
    try:
        postmaster = int(Path(folder, "data", "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return []
    pids = [postmaster]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == postmaster:
                pids.append(int(entry.name))
    return pids


def cluster_seconds(folder: str) -> float:
    """CPU seconds of the cluster in ``folder``: its postmaster, its live children, and the
    children it reaped (the postmaster's children's time)."""
    total = 0
    for place, pid in enumerate(cluster_pids(folder)):
        fields = _stat(pid)
        if fields is None:
            continue
        # utime, stime are fields 14, 15 of stat (here 11, 12); the reaped children's
        # cutime, cstime 16, 17 (here 13, 14), counted for the postmaster
        total += sum(int(x) for x in fields[11 : 15 if place == 0 else 13])
    return total / _TICK


def stalled_seconds(resource_name: str) -> float:
    """Seconds since boot during which some task stalled on ``resource_name`` (``cpu``,
    ``io``); 0 where the kernel does not say."""
    try:
        with open(f"/proc/pressure/{resource_name}", encoding="ascii") as f:
            some = f.readline().split()
    except OSError:
        return 0.0
    return int(some[-1].removeprefix("total=")) / 1e6


def children_seconds() -> float:
    """CPU seconds of this process's children that ended and were waited for."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


class Clock:
    """The machine's, the cluster's and the ended children's CPU over one stretch."""

    def __init__(self, server_folder: str) -> None:
        self.folder = server_folder
        self.cpus = 1
        self._at: tuple[float, ...] = ()
        self.wall = self.machine = self.server = self.children = 0.0
        self.cpu_stall = self.io_stall = 0.0

    def _read(self) -> tuple[float, ...]:
        import time

        busy, self.cpus = machine_busy()
        return (
            time.perf_counter(),
            busy,
            cluster_seconds(self.folder),
            children_seconds(),
            stalled_seconds("cpu"),
            stalled_seconds("io"),
        )

    def start(self) -> None:
        self._at = self._read()

    def stop(self) -> None:
        now = self._read()
        (
            self.wall,
            self.machine,
            self.server,
            self.children,
            self.cpu_stall,
            self.io_stall,
        ) = (b - a for a, b in zip(self._at, now, strict=True))

    def lines(self, parts: dict[str, float]) -> list[str]:
        """One line per share of the stretch's CPU: the server, ``parts`` (the benchmark's
        own processes, seconds each), and everyone else's (the machine's busy time left)."""
        capacity = self.wall * self.cpus
        shares = {"the server (every process of the cluster)": self.server, **parts}
        shares["the rest of the machine (other work, the kernel's own)"] = max(
            0.0, self.machine - sum(shares.values())
        )
        out = [
            f"{self.wall:.1f} s on {self.cpus} processors = {capacity:.1f} CPU seconds, "
            f"busy {self.machine:.1f} ({self.machine / capacity:.0%}); some task waited for a "
            f"processor {self.cpu_stall / self.wall:.0%} of the time, for the disk "
            f"{self.io_stall / self.wall:.0%}:"
        ]
        for name, seconds in shares.items():
            out.append(f"  {seconds:7.1f} s  {seconds / capacity:4.0%}  {name}")
        return out
