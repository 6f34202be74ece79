"""The bench's CPU per checkout (``loadtests.bench.CpuMeter``): the server's share read from
/proc for the worker processes, Locust's from the children this process waited for."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from loadtests.bench import CpuMeter


def _burn(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_the_workers_time_is_counted_per_checkout():
    meter = CpuMeter([os.getpid()])  # this process stands in for a worker
    _burn(0.3)
    figures = meter.per_checkout(3)
    assert 80 <= figures["server_cpu_ms_per_checkout"] <= 200  # 300 ms over 3 checkouts
    assert figures["locust_cpu_ms_per_checkout"] < 20


def test_a_waited_child_counts_as_locust():
    meter = CpuMeter([])
    burn = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"
    subprocess.run([sys.executable, "-c", burn], check=True)
    figures = meter.per_checkout(1)
    assert figures["locust_cpu_ms_per_checkout"] >= 250
    assert figures["server_cpu_ms_per_checkout"] == 0


def test_a_worker_gone_meanwhile_is_skipped_not_an_error():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    meter = CpuMeter([child.pid])
    child.wait()
    assert meter.per_checkout(0)["server_cpu_ms_per_checkout"] == 0
