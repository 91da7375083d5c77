"""The simulator: a pod, the events that happen to it, and what Kubernetes shows after each.

::

    sim = podfsm.Simulator(podfsm.load_pod("examples/nginx/pod.yaml"))
    step = sim.apply({"event": "schedule", "node": "node-1"})
    step.pod["status"]["phase"], step.columns.status, [e.reason for e in step.events]

``Simulator`` takes a :class:`podfsm.Pod`, a :class:`~podfsm.api.loader.LoadedPod` or a v1 Pod (or
workload) mapping, as ``kubectl get pod -o json`` prints it; :func:`load_pod` reads a file and
:func:`loads_pod` YAML or JSON text.

Each :meth:`Simulator.apply` is atomic: an event the model forbids raises
:class:`~podfsm.errors.IllegalTransition` and leaves the simulator exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podfsm.api import Pod
from podfsm.api.loader import LoadedPod, load_pods, pod_from_object
from podfsm.config import Config
from podfsm.engine import PodState, compile_plan, describe, initial, plan_for, step
from podfsm.errors import IllegalTransition, ManifestError
from podfsm.events import Event, NodeEvent, PodEvent, event_from_dict
from podfsm.kubelet.snapshot import pod_json, timestamp
from podfsm.machines.records import KEvent, PodPlan
from podfsm.model import DEFAULT, Model
from podfsm.oracle import Columns, kubectl_columns

__all__ = ["Simulator", "Step", "load_pod", "loads_pod", "pod_model"]


@dataclass(frozen=True, slots=True)
class Step:
    """What one event did: the time, the event, the new state, the Pod object, kubectl's columns, the Events."""

    t: int
    event: Event
    state: PodState
    pod: dict[str, Any]
    columns: Columns
    events: tuple[KEvent, ...]


def _one(pods: list[LoadedPod], name: str) -> Pod:
    if len(pods) != 1:
        raise ManifestError(f"{name}: expected one Pod or workload, found {len(pods)}")
    return pods[0].pod


def _looks_like_text(path: str) -> bool:
    """True iff ``path`` is surely YAML or JSON text, not a file name."""
    head = path.lstrip()
    return "\n" in path or head.startswith(("{", "[", "apiVersion:", "kind:"))


def load_pod(path: str | Path) -> Pod:
    """One Pod from the YAML or JSON file at ``path`` (``-``: stdin): a Pod, or a workload's pod
    template (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) with the workload's
    defaults. For YAML or JSON text use :func:`loads_pod`: a string that is surely text (a
    newline, or it starts with ``{``, ``[`` or ``apiVersion:``) is refused, never guessed at."""
    if isinstance(path, str) and _looks_like_text(path):
        first = path.lstrip().split("\n", 1)[0]
        shown = first if len(first) <= 40 else first[:40] + "..."
        raise ManifestError(
            f"load_pod reads a file; for YAML/JSON text use podfsm.loads_pod (got text: {shown!r})"
        )
    if not isinstance(path, str | Path):
        raise ManifestError(f"load_pod reads a file: give a path (got {type(path).__name__})")
    return _one(load_pods(path), str(path))


def loads_pod(text: str, *, name: str = "<text>") -> Pod:
    """One Pod from YAML or JSON ``text`` (as :func:`json.loads` to :func:`load_pod`'s file);
    ``name`` stands for the source in error messages."""
    if not isinstance(text, str):
        raise ManifestError(f"{name}: loads_pod reads YAML or JSON text (got {type(text).__name__})")
    return _one(load_pods(name, text=text, name=name), name)


def pod_model(pod: Pod | LoadedPod | Mapping[str, Any]) -> Pod:
    """The :class:`podfsm.Pod` of ``pod``: a Pod as it is, a LoadedPod's, or a v1 Pod (or workload)
    mapping validated as :func:`load_pod` validates a file; :class:`ManifestError` naming the field."""
    if isinstance(pod, Pod):
        return pod
    if isinstance(pod, LoadedPod):
        return pod.pod
    if isinstance(pod, Mapping):
        return pod_from_object(dict(pod), "<mapping>").pod
    hint = "; to read a file use podfsm.load_pod(path)" if isinstance(pod, str | Path) else ""
    raise ManifestError(
        f"expected a podfsm.Pod, a LoadedPod or a v1 Pod mapping (got {type(pod).__name__}){hint}"
    )


class Simulator:
    """Runs one pod through events. ``state`` is the model state, ``pod`` the v1 object now.

    Several pods on one node, and node events: :class:`podfsm.cluster.ClusterSimulator`.
    """

    def __init__(
        self,
        pod: Pod | LoadedPod | Mapping[str, Any],
        config: Config | None = None,
        *,
        model: Model = DEFAULT,
        start: PodState | None = None,
    ) -> None:
        """``pod``: a :class:`podfsm.Pod`, a :class:`~podfsm.api.loader.LoadedPod` or a v1 Pod (or
        workload) mapping, as ``kubectl get pod -o json`` prints it; a malformed one raises
        :class:`ManifestError` naming the field. ``model``: the model to run
        (:data:`podfsm.model.DEFAULT`, Kubernetes itself, unless given: a mutant, or the same tables
        fired through ``transitions``). ``start``: the state to start from instead of the pod's
        creation, one of :func:`podfsm.states_from_pod` for this pod (a live pod's status)."""
        if isinstance(pod, Mapping):  # the same mapping again: compiled once (plan_for)
            self.plan: PodPlan = plan_for(
                pod, config, model, lambda: compile_plan(pod_model(pod), config, model)
            )
        else:
            self.plan = compile_plan(pod_model(pod), config, model)
        if start is not None and (
            not isinstance(start, PodState) or len(start.ctrs) != len(self.plan.containers)
        ):
            raise ManifestError("start: expected a PodState of this pod (podfsm.states_from_pod(pod))")
        self.state: PodState = initial(self.plan) if start is None else start
        self.pod: dict[str, Any] = pod_json(self.plan, self.state)
        self.history: list[Step] = []

    @property
    def t(self) -> int:
        return self.state.t

    @property
    def columns(self) -> Columns:
        """kubectl's STATUS / READY / RESTARTS for the pod now (as :attr:`Step.columns` reads them)."""
        return kubectl_columns(self.pod, now=timestamp(self.plan, self.state.t))

    def apply(self, event: Event | Mapping[str, Any]) -> Step:
        """Apply one event (an :class:`Event` or its mapping form); returns the resulting :class:`Step`."""
        ev = event if isinstance(event, Event) else event_from_dict(event)
        if isinstance(ev, NodeEvent):
            raise IllegalTransition(
                describe(self.plan, self.state),
                ev,
                "node events need the node: run the pod with podfsm.cluster.ClusterSimulator",
            )
        if isinstance(ev, PodEvent) and ev.pod is not None and ev.pod != self.plan.name:
            raise IllegalTransition(
                describe(self.plan, self.state),
                ev,
                f"the simulation has no pod named {ev.pod!r} (pods: {self.plan.name})",
            )
        out: list[KEvent] = []
        new_state = step(self.plan, self.state, ev, out=out)
        self.state = new_state
        self.pod = pod_json(self.plan, new_state, self.pod)
        result = Step(new_state.t, ev, new_state, self.pod, self.columns, tuple(out))
        self.history.append(result)
        return result

    def run(self, events: Iterable[Event | Mapping[str, Any]]) -> list[Step]:
        """Apply every event in order; stops at (and raises) the first illegal one."""
        return [self.apply(e) for e in events]
