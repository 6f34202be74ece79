"""A wave's purchase curve compressed into minutes (use with the locustfile):

    locust -f loadtests/locustfile.py,loadtests/shapes/deadline_spike.py --headless PartnerApiUser

The announcement rush (buyers pile in the first evening), the long middle of the 15–30 days, and
the last evening before 23:59 WIB on the deadline day, the highest peak (the programme office
urged stragglers every wave). ``SHAPE_SECONDS`` (default 300) is the whole wave, ``PEAK_USERS``
(default 50) the last evening's concurrency.
"""

from __future__ import annotations

import os

from locust import LoadTestShape

# (fraction of the run, fraction of the peak users): rush, middle, deadline evening.
PHASES = ((0.15, 0.6), (0.70, 0.15), (0.15, 1.0))


class DeadlineSpike(LoadTestShape):
    def tick(self):
        total = float(os.environ.get("SHAPE_SECONDS", 300))
        peak = int(os.environ.get("PEAK_USERS", 50))
        elapsed, start = self.get_run_time(), 0.0
        for share, level in PHASES:
            start += share * total
            if elapsed < start:
                users = max(1, round(level * peak))
                return users, users  # arrive within a second: a spike, not a ramp
        return None
