"""A plain ramp from 1 to ``PEAK_USERS`` over ``SHAPE_SECONDS`` (defaults 50 and 120)."""

from __future__ import annotations

import os

from locust import LoadTestShape


class Ramp(LoadTestShape):
    def tick(self):
        total = float(os.environ.get("SHAPE_SECONDS", 120))
        peak = int(os.environ.get("PEAK_USERS", 50))
        elapsed = self.get_run_time()
        if elapsed >= total:
            return None
        return max(1, round(peak * elapsed / total)), peak
