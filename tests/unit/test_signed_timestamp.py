"""The timestamp window of a signed call, at its exact bounds, with a fixed clock (the HTTP
tests keep a margin: a request reaches the check a moment after its header is made)."""

from __future__ import annotations

import pytest

from marketplace.signed import SignedHeaderError, check_timestamp

NOW = 1_800_000_000.0


@pytest.mark.parametrize("skew", [-300, 0, 300])
def test_a_timestamp_within_the_tolerance_passes(skew):
    check_timestamp(str(int(NOW) + skew), NOW, 300)


@pytest.mark.parametrize("skew", [-301, 301])
def test_one_second_beyond_either_side_is_stale(skew):
    with pytest.raises(SignedHeaderError):
        check_timestamp(str(int(NOW) + skew), NOW, 300)
