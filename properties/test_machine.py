"""The rule-based machine over the composed model (:class:`podfsm.verification.lifecycle_machine.PodLifecycleMachine`):
one rule per event kind, one invariant judging the run with the registry; readable reproducers."""

from __future__ import annotations

from podfsm.verification.verify import profile_from_env, run_machine

PROFILE, SEED = profile_from_env()


def test_pod_lifecycle_machine() -> None:
    """Every always, always-step and eventually property holds along rule-based runs of the model."""
    run_machine(PROFILE, SEED)
