"""The Hypothesis rule-based state machine over the composed pod model (the ``machine`` suite).

One ``@rule`` per event kind the environment can send a pod, each drawing one of the events the
model enables now (:meth:`podfsm.verification.verify.Checker.candidates`) and gated by a ``@precondition`` that
there is one; one ``@invariant`` that judges the run so far with the registry
(:class:`podfsm.verification.invariants.Judge`, the explorer's judge). A failure prints as a Python program
(Hypothesis) and as a ``podfsm simulate`` script (the :class:`~podfsm.verification.invariants.PropertyViolation`).

``properties/test_machine.py`` runs it under pytest; ``podfsm verify`` through
:func:`podfsm.verification.verify.run_machine`. :func:`podfsm.verification.verify.make_machine` derives a variant (another
pod strategy, a mutant's model, statistics) by subclassing: the class attributes below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from podfsm.api import Pod
from podfsm.engine import compile_plan
from podfsm.events import (
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    PodCondition,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
)
from podfsm.model import DEFAULT, Model
from podfsm.verification.invariants import Property
from podfsm.verification.strategies import pod_specs
from podfsm.verification.verify import Attribute, Checker, Stats

__all__ = ["PodLifecycleMachine"]

JSON = dict[str, Any]


def _enabled(kind: type[Event]) -> Callable[[PodLifecycleMachine], bool]:
    """The precondition of ``kind``'s rule: the model enables an event of that kind now."""

    def possible(machine: PodLifecycleMachine) -> bool:
        return bool(machine.checker.candidates_of(kind))

    return possible


def _one_of(kind: type[Event]) -> st.SearchStrategy[Event]:
    """One of the events of ``kind`` the model enables in the running machine's state."""
    return st.runner().flatmap(lambda machine: st.sampled_from(machine.checker.candidates_of(kind)))


class PodLifecycleMachine(RuleBasedStateMachine):
    """The composed pod model under every registered property."""

    #: the pods the machine starts from (any knob of :func:`podfsm.verification.strategies.pod_specs`)
    pods: ClassVar[st.SearchStrategy[JSON]] = pod_specs(
        probes=True, hooks=True, tolerations=True, readiness_gates=True
    )
    model: ClassVar[Model] = DEFAULT  #: the model under test
    props: ClassVar[Sequence[Property] | None] = None  #: the properties (None: the whole registry)
    stats: ClassVar[Stats | None] = None  #: where to count examples, steps and checks
    attribute: ClassVar[Attribute | None] = (
        None  #: which violations count (podfsm.verification.verify.attribute_for)
    )

    checker: Checker

    @initialize(pod=st.runner().flatmap(lambda machine: machine.pods))
    def init(self, pod: JSON) -> None:
        if self.stats is not None:
            self.stats.examples["machine"] += 1
        plan = compile_plan(Pod.from_api(pod), model=self.model)
        attribute = type(self).attribute  # a plain function: read off the class, never bound
        self.checker = Checker(
            plan, pod, props=self.props, stats=self.stats, attribute=attribute, check_now=False
        )

    def apply(self, ev: Event) -> None:
        if self.stats is not None:
            self.stats.steps["machine"] += 1
        self.checker.apply(ev, check=False)

    # -- the scheduler and the API ----------------------------------------------------------------

    @precondition(_enabled(Schedule))
    @rule(ev=_one_of(Schedule))
    def schedule(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(Unschedulable))
    @rule(ev=_one_of(Unschedulable))
    def unschedulable(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(Delete))
    @rule(ev=_one_of(Delete))
    def delete(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(Evict))
    @rule(ev=_one_of(Evict))
    def evict(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(PodCondition))
    @rule(ev=_one_of(PodCondition))
    def pod_condition(self, ev: Event) -> None:
        self.apply(ev)

    # -- the container runtime --------------------------------------------------------------------

    @precondition(_enabled(ImagePulled))
    @rule(ev=_one_of(ImagePulled))
    def image_pulled(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(ImagePullFailed))
    @rule(ev=_one_of(ImagePullFailed))
    def image_pull_failed(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(ContainerStarted))
    @rule(ev=_one_of(ContainerStarted))
    def container_started(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(ContainerStartFailed))
    @rule(ev=_one_of(ContainerStartFailed))
    def container_start_failed(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(ContainerExited))
    @rule(ev=_one_of(ContainerExited))
    def container_exited(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(HookFinished))
    @rule(ev=_one_of(HookFinished))
    def hook_finished(self, ev: Event) -> None:
        self.apply(ev)

    # -- the prober and the clock -----------------------------------------------------------------

    @precondition(_enabled(ProbeResult))
    @rule(ev=_one_of(ProbeResult))
    def probe(self, ev: Event) -> None:
        self.apply(ev)

    @precondition(_enabled(Tick))
    @rule(ev=_one_of(Tick))
    def tick(self, ev: Event) -> None:
        self.apply(ev)

    # -- the judge --------------------------------------------------------------------------------

    @invariant()
    def every_property_holds(self) -> None:
        """``always-step`` on the last step, ``always`` on the state, and the ``eventually``
        monitors when the run ends here: the first violation raises (:class:`PropertyViolation`)."""
        checker = self.checker
        if checker.prev is not None and checker.prev.removed:
            return  # after the object is gone there is nothing to observe
        checker.check_all_step()
        checker.check_all_state()
