"""Exhaustive search of every small configuration in ``podfsm.verification.explorer.MODELS`` under the whole registry."""

from __future__ import annotations

import pytest

from podfsm.api import Pod
from podfsm.engine import compile_plan
from podfsm.verification.explorer import MODELS, explore
from podfsm.verification.verify import profile_from_env, render_reproducer

PROFILE, _ = profile_from_env()


@pytest.mark.parametrize("name", list(MODELS))
def test_model_satisfies_every_property(name: str) -> None:
    """Every always / always-step / eventually property holds and every applicable sometimes property is witnessed."""
    m = MODELS[name]
    result = explore(
        compile_plan(Pod.from_api(m.pod)),
        max_depth=m.max_depth + PROFILE.explorer_extra_depth,
        max_restarts=m.max_restarts,
        manifest=m.pod,
    )
    v = result.violation
    assert v is None, f"{v}\n{render_reproducer(v.pod, v.script)}"
    # a bounded search reports an unwitnessed sometimes property as not reached, not as a violation:
    # each model's depth is chosen so that every applicable one is witnessed
    assert result.not_reached == [], f"{name}: not reached within depth {m.max_depth}: {result.not_reached}"
