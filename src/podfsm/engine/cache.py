"""An opt-in memo of :func:`~podfsm.engine.step` for repetitive workloads (issue 12).

A Deployment's pods run one template through the same few lifecycles: the same (state, event)
pairs come back pod after pod. :class:`StepCache` remembers, for one plan, the state after each
(state, event) and the Kubernetes Events the step emitted::

    cache = StepCache(plan)
    s = cache.step(s, ev, out=events)      # as step(plan, s, ev, out=events)

It is bound to its plan, and so to the plan's model value: a mutant's plan has its own cache and
never reads the default model's. An event the model refuses raises as :func:`step` does and is
never remembered. States and events are immutable values, so a remembered answer is the answer.
The cache turns itself off (and forgets) when, after ``probe`` lookups, fewer than
``min_hit_rate`` of them hit: a workload that does not repeat pays for hashing only that long.
"""

from __future__ import annotations

from typing import Final

from podfsm.engine.handlers import step
from podfsm.events import Event
from podfsm.machines.records import KEvent, PodPlan, PodState

__all__ = ["StepCache"]

#: Entries one cache holds at most (a full cache still answers from what it holds).
MAX_ENTRIES: Final = 2_000_000


class StepCache:
    """A memo of ``step(plan, s, ev)`` for one plan; see the module docstring."""

    __slots__ = ("_memo", "enabled", "hits", "lookups", "max_entries", "min_hit_rate", "plan", "probe")

    def __init__(
        self,
        plan: PodPlan,
        *,
        min_hit_rate: float = 0.25,
        probe: int = 10_000,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.plan = plan
        self.min_hit_rate = min_hit_rate
        self.probe = probe
        self.max_entries = max_entries
        self.enabled = True
        self.hits = 0
        self.lookups = 0
        self._memo: dict[tuple[PodState, Event], tuple[PodState, tuple[KEvent, ...]]] = {}

    def __len__(self) -> int:
        return len(self._memo)

    @property
    def hit_rate(self) -> float:
        return self.hits / self.lookups if self.lookups else 0.0

    def step(self, s: PodState, ev: Event, *, out: list[KEvent] | None = None) -> PodState:
        """``step(self.plan, s, ev, out=out)``, from the memo when it holds the pair."""
        if not self.enabled:
            return step(self.plan, s, ev, out=out)
        key = (s, ev)
        self.lookups += 1
        hit = self._memo.get(key)
        if hit is not None:
            self.hits += 1
            if out is not None:
                out.extend(hit[1])
            return hit[0]
        emitted: list[KEvent] = []
        nxt = step(self.plan, s, ev, out=emitted)  # a refusal raises here: nothing is remembered
        if out is not None:
            out.extend(emitted)
        if len(self._memo) < self.max_entries:
            self._memo[key] = (nxt, tuple(emitted))
        if self.lookups >= self.probe and self.hits < self.min_hit_rate * self.lookups:
            self.enabled = False  # this workload does not repeat: stop paying for the keys
            self._memo.clear()
        return nxt
