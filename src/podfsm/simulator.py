"""The simulator: a pod, the events that happen to it, and what Kubernetes shows after each.

::

    sim = podfsm.Simulator(podfsm.load_pod("examples/nginx/pod.yaml"))
    step = sim.apply({"event": "schedule", "node": "node-1"})
    step.pod["status"]["phase"], step.columns.status, [e.reason for e in step.events]

Each :meth:`Simulator.apply` is atomic: an event the model forbids raises
:class:`~podfsm.errors.IllegalTransition` and leaves the simulator exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podfsm.api import Pod
from podfsm.config import Config
from podfsm.engine import PodState, compile_plan, describe, initial, step
from podfsm.errors import IllegalTransition, ManifestError
from podfsm.events import Event, NodeEvent, PodEvent, event_from_dict
from podfsm.loader import LoadedPod, load_pods
from podfsm.oracle import Columns, kubectl_columns
from podfsm.records import KEvent, PodPlan
from podfsm.snapshot import pod_json, timestamp

__all__ = ["Simulator", "Step", "load_pod"]


@dataclass(frozen=True, slots=True)
class Step:
    """What one event did: the time, the event, the new state, the Pod object, kubectl's columns, the Events."""

    t: int
    event: Event
    state: PodState
    pod: dict[str, Any]
    columns: Columns
    events: tuple[KEvent, ...]


def load_pod(path_or_text: str | Path) -> Pod:
    """One Pod from a file path or from YAML/JSON text: a Pod, or a workload's pod template
    (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) with the workload's defaults."""
    text_like = isinstance(path_or_text, str) and (
        "\n" in path_or_text or path_or_text.lstrip().startswith(("{", "["))
    )
    if text_like:
        pods = load_pods("<text>", text=str(path_or_text), name="<text>")
    else:
        pods = load_pods(path_or_text)
    if len(pods) != 1:
        raise ManifestError(f"{path_or_text}: expected one Pod or workload, found {len(pods)}")
    return pods[0].pod


class Simulator:
    """Runs one pod through events. ``state`` is the model state, ``pod`` the v1 object now.

    Several pods on one node, and node events: :class:`podfsm.cluster.ClusterSimulator`.
    """

    def __init__(
        self, pod: Pod | LoadedPod, config: Config | None = None, *, reference: bool = False
    ) -> None:
        model = pod.pod if isinstance(pod, LoadedPod) else pod
        self.plan: PodPlan = compile_plan(model, config)
        self.reference = reference
        self.state: PodState = initial(self.plan)
        self.pod: dict[str, Any] = pod_json(self.plan, self.state)
        self.history: list[Step] = []

    @property
    def t(self) -> int:
        return self.state.t

    def columns(self) -> Columns:
        """kubectl's STATUS / READY / RESTARTS for the pod now."""
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
        new_state = step(self.plan, self.state, ev, out=out, reference=self.reference)
        self.state = new_state
        self.pod = pod_json(self.plan, new_state, self.pod)
        result = Step(new_state.t, ev, new_state, self.pod, self.columns(), tuple(out))
        self.history.append(result)
        return result

    def run(self, events: Iterable[Event | Mapping[str, Any]]) -> list[Step]:
        """Apply every event in order; stops at (and raises) the first illegal one."""
        return [self.apply(e) for e in events]
