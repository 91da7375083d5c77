"""Bulk runs: drawn choice lists replayed through the model, every property checked at every step."""

from __future__ import annotations

import pytest

from podfsm.verification.verify import bulk_test, pod_families, profile_from_env

PROFILE, SEED = profile_from_env()


@pytest.mark.parametrize("family", list(pod_families()))
def test_every_property_on_replayed_runs(family: str) -> None:
    """Every always, always-step and eventually property holds on 50-step runs of pods of one family."""
    bulk_test(PROFILE, SEED, pods=pod_families()[family])()
