"""The model as a value: the machine tables and the kubelet's decisions, in one frozen object.

podfsm's engine holds no behaviour of its own that a test could swap: what the kubelet does is
this object, :data:`DEFAULT` (Kubernetes v1.34), carried by every compiled plan
(:func:`podfsm.engine.compile_plan`'s ``model``) and from there read by the engine, the status
projection, the snapshot, the explorer and the suites. A different model is a different value::

    from podfsm.model import DEFAULT, Interpreter

    traced = DEFAULT.replace(interpreter=Interpreter.TRANSITIONS)  # the tables run by `transitions`
    plan = compile_plan(pod, model=traced)

A mutant (:mod:`podfsm.verification.mutants`) is a function from a model to a model: it replaces a table (the
container table re-defined with one guard or action swapped), the restart rule, or one of the
kubelet's decisions, usually wrapping the one it replaces. Mutants compose, and models run side by
side in one process: nothing is patched.

Fields, and who reads them:

========================  ==========================================================================
``container``, ``pod``,   the machine tables (:mod:`podfsm.machines.container`, :mod:`podfsm.machines.pod`,
``probe``, ``node``       :mod:`podfsm.machines.probe`, :mod:`podfsm.machines.node`); the engine fires their rows
``restart_rule``          ``(restartPolicy, container kind, exit code) -> bool``: the one statement of
                          who restarts (the container table's guards, the status projection, the
                          probe kill's message); :func:`podfsm.machines.container.restart_rule`
``next_backoff``          the crash-loop back-off step the restart actions take (``Backoff.Next``)
``container_view``        a container's v1 status (:func:`podfsm.kubelet.container_view`)
``phase_of``              ``getPhase`` over the containers (:func:`podfsm.kubelet.phase_of`)
``kubelet_phase``         the phase ``generateAPIPodStatus`` computes (:func:`podfsm.kubelet.kubelet_phase`)
``publish``               the phase ``mergePodStatus`` lets through (:func:`podfsm.kubelet.publish`)
``conditions_phase``      the phase the kubelet's conditions are generated from (its computed one)
``init_progress``,        the pod summary the pod table's SYNC rows read: where initialization
``all_exited``            stands, whether every regular container exited for good
                          (:func:`podfsm.kubelet.init_progress`, :func:`podfsm.kubelet.all_exited`)
``initializing``,         the pod worker's pass in each stage: what it syncs or kills
``started``,              (:mod:`podfsm.kubelet`)
``completing``
``condition``,            the snapshot's condition entry, ``TerminatePod``'s rewrite,
``terminate_pod``,        ``GeneratePodReadyCondition`` (:mod:`podfsm.kubelet.snapshot`, :mod:`podfsm.oracle`)
``pod_ready_condition``,  and whether the API object carries DisruptionTarget yet (``mergePodStatus``
``disruption_shown``      sends the kubelet's own with the terminal phase)
``interpreter``           how rows fire: compiled dicts, or the ``transitions`` machines generated from
                          the same rows (the differential test runs both)
``idle_shortcut``         a tick with no timer due only regenerates the status (a test checks it
                          equals a full settle)
========================  ==========================================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any, Final

from podfsm import kubelet
from podfsm.enums import PodPhase, RestartPolicy
from podfsm.kubelet import snapshot
from podfsm.machines.container import CONTAINER, CEvent, next_backoff, not_due, restart_rule
from podfsm.machines.node import NODE, NEvent, NodeCtx, NState
from podfsm.machines.pod import POD, InitProgress, PEvent, PodCtx, PStage
from podfsm.machines.probe import PROBE, PrEvent, ProbeCtx, PrState
from podfsm.machines.records import ContainerKind, ContainerPlan, Ctr, Ctx, PodPlan, PodState, View
from podfsm.machines.records import CState as S
from podfsm.machines.table import Machine, Row
from podfsm.oracle import Condition, pod_ready_condition

__all__ = ["DEFAULT", "Interpreter", "Model", "RestartRule"]

RestartRule = Callable[[RestartPolicy, ContainerKind, int], bool]
Fire = Callable[[Any, Any, Any], Row[Any, Any, Any] | None]


class Interpreter(Enum):
    """How the engine fires a table's rows."""

    COMPILED = "compiled"  # the dict from (source, event) to rows: the hot path
    TRANSITIONS = "transitions"  # a transitions.Machine generated from the same rows


def _waits_for_timer(table: Machine[S, CEvent, Ctx], state: S) -> bool:
    """True iff the table's first SYNC row in ``state`` is "do nothing until the container's timer is due"."""
    rows = table.rows_for(state, CEvent.SYNC)
    return bool(rows) and rows[0].guard is not_due and rows[0].target is state and rows[0].action is None


@dataclasses.dataclass(frozen=True, eq=False)
class Model:
    """One model of Kubernetes' pod lifecycle (see the module docstring for every field).

    Frozen; compare models by identity. :meth:`replace` builds a variant.
    """

    name: str
    container: Machine[S, CEvent, Ctx]
    pod: Machine[PStage, PEvent, PodCtx]
    probe: Machine[PrState, PrEvent, ProbeCtx]
    node: Machine[NState, NEvent, NodeCtx]
    restart_rule: RestartRule
    next_backoff: Callable[[Ctx], Ctr]
    container_view: Callable[[PodPlan, ContainerPlan, Ctr], View]
    phase_of: Callable[..., PodPhase]
    kubelet_phase: Callable[[PodPlan, PodState], PodPhase]
    publish: Callable[..., PodState]
    conditions_phase: Callable[[PodPlan, PodState], PodPhase]
    init_progress: Callable[[PodPlan, Sequence[Ctr]], InitProgress]
    initializing: Callable[[kubelet.SettlePass], None]
    all_exited: Callable[[PodPlan, Sequence[Ctr]], bool]
    started: Callable[[kubelet.SettlePass], None]
    completing: Callable[[kubelet.SettlePass], None]
    condition: Callable[..., dict[str, Any]]
    terminate_pod: Callable[[PodPlan, list[dict[str, Any]]], None]
    disruption_shown: Callable[[PodState], bool]
    pod_ready_condition: Callable[..., Condition]
    interpreter: Interpreter = Interpreter.COMPILED
    idle_shortcut: bool = True
    # Derived from the fields above when the value is built (never passed):
    fire_container: Fire = dataclasses.field(init=False, repr=False)
    fire_pod: Fire = dataclasses.field(init=False, repr=False)
    fire_probe: Fire = dataclasses.field(init=False, repr=False)
    fire_node: Fire = dataclasses.field(init=False, repr=False)
    #: container states whose SYNC waits for the container's timer (the table's first row says so):
    #: the engine skips firing it until the timer is due
    timed: frozenset[S] = dataclasses.field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_transitions = self.interpreter is Interpreter.TRANSITIONS
        for name in ("container", "pod", "probe", "node"):
            table: Machine[Any, Any, Any] = getattr(self, name)
            fire = table.fire_reference if by_transitions else table.fire
            object.__setattr__(self, f"fire_{name}", fire)
        timed = frozenset(st for st in S if _waits_for_timer(self.container, st))
        object.__setattr__(self, "timed", timed)

    def replace(self, **changes: Any) -> Model:
        """A model with ``changes`` (field=value) applied; the derived fields are rebuilt."""
        return dataclasses.replace(self, **changes)


#: Kubernetes v1.34's pod lifecycle, every alpha feature gate off (:class:`podfsm.config.Config`
#: holds the gates and timings; the model holds the behaviour).
DEFAULT: Final = Model(
    name="kubernetes",
    container=CONTAINER,
    pod=POD,
    probe=PROBE,
    node=NODE,
    restart_rule=restart_rule,
    next_backoff=next_backoff,
    container_view=kubelet.container_view,
    phase_of=kubelet.phase_of,
    kubelet_phase=kubelet.kubelet_phase,
    publish=kubelet.publish,
    conditions_phase=kubelet.conditions_phase,
    init_progress=kubelet.init_progress,
    initializing=kubelet.initializing,
    all_exited=kubelet.all_exited,
    started=kubelet.started,
    completing=kubelet.completing,
    condition=snapshot.condition,
    terminate_pod=snapshot.terminate_pod,
    disruption_shown=snapshot.disruption_shown,
    pod_ready_condition=pod_ready_condition,
)
