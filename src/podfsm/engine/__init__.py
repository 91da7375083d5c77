"""The engine: composes the pod and container machines with a logical clock.

The core is stateright-shaped and pure::

    plan = compile_plan(pod_model, Config())
    s0 = initial(plan)
    s1 = step(plan, s0, Schedule(node="node-1"))     # raises IllegalTransition, s0 untouched
    enabled_events(plan, s1)                         # the environment's legal moves

After every event the kubelet *settles*: it takes its own decisions (start the next init
container, restart after the back-off, give up under ``Never``, kill what still runs when the
pod is done) until nothing changes, exactly in the order its pod worker would: one container
start in flight at a time (``SyncPod`` starts containers one after another, image pulls are
serialized), init containers first and in order, then sidecars, then regular containers.

``tick(seconds)`` advances the clock, firing every timer that falls due in time order: crash-loop
and image back-offs, the pod worker's re-sync after a failed sync (10 s), SIGKILL at the end of
a grace period, ``activeDeadlineSeconds``.

The phase is the kubelet's ``getPhase`` from :mod:`podfsm.oracle` (its very projection and
decision code, memoized on the few facts it reads), sticky once terminal (``generateAPIPodStatus``)
and held back while containers may still run (``mergePodStatus``).

The plan carries the model (:class:`podfsm.model.Model`): its tables, its kubelet decisions and
how rows fire (compiled dicts, or the ``transitions`` machines generated from the same rows; a
test checks that both agree). The engine holds no behaviour of its own that a model could change.

It is split along the kubelet's seams: :mod:`~podfsm.engine.plan` (plan compilation),
:mod:`~podfsm.engine.worker` (firing the tables; the pod worker's settle and publish; the timers),
:mod:`~podfsm.engine.moves` (why an event is refused, the legal moves derived from the tables),
:mod:`~podfsm.engine.handlers` (:func:`step`: one event) and :mod:`~podfsm.engine.controllers`
(what the node lifecycle controller, the taint manager, PodGC and node-pressure eviction do to a
pod). The status projection is :mod:`podfsm.kubelet.snapshot`, shared with the oracle.
"""

from __future__ import annotations

from podfsm.engine.cache import StepCache
from podfsm.engine.controllers import (
    POD_GC_DISRUPTION,
    TAINT_MANAGER_DISRUPTION,
    gc_delete,
    kubelet_evict,
    mark_not_ready,
    set_away,
    taint_delete,
    unmark_not_ready,
)
from podfsm.engine.handlers import step
from podfsm.engine.moves import enabled_events, refusal
from podfsm.engine.plan import compile_plan, initial, never_pull_images, plan_for, pod_name
from podfsm.engine.worker import DOCS, describe, next_due
from podfsm.machines.records import PodState

__all__ = [
    "DOCS",
    "POD_GC_DISRUPTION",
    "TAINT_MANAGER_DISRUPTION",
    "PodState",
    "StepCache",
    "compile_plan",
    "describe",
    "enabled_events",
    "gc_delete",
    "initial",
    "kubelet_evict",
    "mark_not_ready",
    "never_pull_images",
    "next_due",
    "plan_for",
    "pod_name",
    "refusal",
    "set_away",
    "step",
    "taint_delete",
    "unmark_not_ready",
]
