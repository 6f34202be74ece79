"""Schedule codes in the real API's style: 16 lowercase hex characters (``9d683f80404811ed``).

The public example is the start of a time-based UUID; ours are not time-based but must be
deterministic (same seed, same catalogue) and unique across the demo and every seeded catalogue.
So each code is a 64-bit number scrambled by a bijection: distinct inputs can never give the same
code, and the inputs are kept distinct by construction:

- demo:   bit 63 clear; the course code's ASCII (at most 7 characters) shifted left 4 bits, plus
          the batch number (0–15);
- seeded: bit 63 set; the seed (31 bits) at bit 32, the course's number (up to 2**28) at bit 4,
          plus the batch number.
"""

from __future__ import annotations

MASK = 2**64 - 1
DEMO_CODE_CHARACTERS = 7  # 7 ASCII bytes = 56 bits; with the 4 batch bits, bit 63 stays clear
BATCHES = 16


def scramble(value: int) -> str:
    """A bijection of 64-bit numbers (SplitMix64's finaliser: xor-shifts and odd multipliers,
    each invertible), written as 16 hex characters."""
    value &= MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & MASK
    value ^= value >> 31
    return f"{value:016x}"


def demo_schedule_code(course_code: str, batch: int) -> str:
    """The code of a demo course's batch (0-based); the same in every database."""
    raw = course_code.encode("ascii")
    if len(raw) > DEMO_CODE_CHARACTERS or not 0 <= batch < BATCHES:
        raise ValueError("demo course codes have at most 7 characters; batches are 0–15")
    return scramble(int.from_bytes(raw, "big") << 4 | batch)


def seeded_schedule_code(seed: int, course_number: int, batch: int) -> str:
    """The code of a seeded course's batch (course ``PK-00042`` is number 42)."""
    if not 0 <= seed < 2**31 or not 0 <= course_number < 2**28 or not 0 <= batch < BATCHES:
        raise ValueError("seed, course number or batch out of range")
    return scramble(1 << 63 | seed << 32 | course_number << 4 | batch)
