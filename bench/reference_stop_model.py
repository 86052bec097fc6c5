#!/usr/bin/env python3
"""The reference module's stop path, modelled to be measured next to the plugin's.

The module this project replaces runs its prune on a ``threading.Thread(daemon=True)`` with
``subprocess.run(cmd, capture_output=True, text=True, timeout=<timeout_s>)`` and stops with
``self._stop.set(); self._thread.join(timeout=5.0)``. Nothing kills the subprocess, so ``stop()``
waits out the join timeout and returns with the thread and ssh still running; when the
interpreter then exits, the daemon thread vanishes and ssh is orphaned, still running, with no
timeout left to end it.

Usage: reference_stop_model.py STARTED_FIFO [TIMEOUT_S]
Runs ``ssh`` from PATH (the benchmark's hanging fake, which writes "<pid> <grandchild pid>" into
STARTED_FIFO), waits for that line, then times stop(). Prints one JSON object.
"""
import json
import subprocess
import sys
import threading
import time


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


class ReferenceLifecycle:
    """Only the parts of the reference that decide how stop() behaves."""

    def __init__(self, timeout_s: int) -> None:
        self._stop = threading.Event()
        self._thread = None
        self._timeout_s = timeout_s
        self.interval_s = 21600

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                subprocess.run(
                    ["ssh", "-o", "BatchMode=yes", "bench-host",
                     "docker builder prune -f --filter until=24h"],
                    capture_output=True, text=True, timeout=self._timeout_s)
            except (subprocess.SubprocessError, OSError):
                pass
            self._stop.wait(self.interval_s)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="build-cache-pruner", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=timeout)


def main() -> int:
    started_fifo = sys.argv[1]
    timeout_s = int(sys.argv[2]) if len(sys.argv) > 2 else 600
    model = ReferenceLifecycle(timeout_s)
    model.start()
    with open(started_fifo, encoding="ascii") as fifo:
        ssh_pid, grandchild_pid = (int(p) for p in fifo.readline().split())
    t0 = time.monotonic()
    model.stop()
    stop_s = time.monotonic() - t0
    print(json.dumps({
        "stop_s": round(stop_s, 4),
        "subprocess_timeout_s": timeout_s,
        "thread_alive_after_stop": model._thread.is_alive(),
        "ssh_pid": ssh_pid,
        "grandchild_pid": grandchild_pid,
        "ssh_alive_after_stop": alive(ssh_pid),
        "grandchild_alive_after_stop": alive(grandchild_pid),
    }), flush=True)
    # Returning ends the interpreter the ordinary way: daemon threads are abandoned, not joined.
    return 0


if __name__ == "__main__":
    sys.exit(main())
