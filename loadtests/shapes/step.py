"""Step test to find the knee where p99 degrades: ``STEP_USERS`` more users (default 5) every
``STEP_SECONDS`` (default 30) up to ``PEAK_USERS`` (default 60). Read p99 per step from the
CSV history (``--csv``; ``*_stats_history.csv`` has one row per second with the user count)."""

from __future__ import annotations

import os

from locust import LoadTestShape


class StepLoad(LoadTestShape):
    def tick(self):
        step_users = int(os.environ.get("STEP_USERS", 5))
        step_seconds = float(os.environ.get("STEP_SECONDS", 30))
        peak = int(os.environ.get("PEAK_USERS", 60))
        step = int(self.get_run_time() // step_seconds) + 1
        if step * step_users > peak:
            return None
        return step * step_users, step_users
