"""Command-line options of the load tests (also settable in locust.conf or LOCUST_* vars)."""

from __future__ import annotations

from locust import events


@events.init_command_line_parser.add_listener
def add_options(parser) -> None:
    group = parser.add_argument_group("Prakerja simulator")
    group.add_argument(
        "--seed",
        type=int,
        default=2020,
        env_var="LOCUST_SEED",
        help="Seed the participants were made with (flask seed run --seed).",
    )
    group.add_argument(
        "--first-participant",
        type=int,
        default=14_400_000,
        env_var="LOCUST_FIRST_PARTICIPANT",
        help="First seeded participant index i (default: the start of wave 48).",
    )
    group.add_argument(
        "--participants",
        type=int,
        default=10_000,
        env_var="LOCUST_PARTICIPANTS",
        help="How many seeded participants the run may use.",
    )
    group.add_argument(
        "--max-workers",
        type=int,
        default=16,
        env_var="LOCUST_MAX_WORKERS",
        help="Participants are split into this many disjoint slices, one per worker.",
    )
    group.add_argument(
        "--course",
        default="DIG-004",
        env_var="LOCUST_COURSE",
        help="Course code every checkout buys (listed on all three storefronts).",
    )
    group.add_argument(
        "--max-fail-ratio",
        type=float,
        default=0.0,
        env_var="LOCUST_MAX_FAIL_RATIO",
        help="Exit non-zero above this failure ratio.",
    )
    group.add_argument(
        "--max-p99-ms",
        type=float,
        default=0.0,
        env_var="LOCUST_MAX_P99_MS",
        help="Exit non-zero if a checkout step's p99 exceeds this (0: no limit).",
    )
    group.add_argument(
        "--summary-json",
        default="",
        env_var="LOCUST_SUMMARY_JSON",
        help="Write the run's checkout counts and verdict to this file.",
    )
