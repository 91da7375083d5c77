"""podfsm: an executable, formal model of the Kubernetes Pod lifecycle.

Import it as a reference oracle::

    import podfsm
    podfsm.pod_phase(pod_json)          # the kubelet's getPhase
    podfsm.kubectl_columns(pod_json)    # kubectl get pods STATUS / READY / RESTARTS

or run a pod through what happens to it::

    sim = podfsm.Simulator(podfsm.load_pod("examples/nginx/pod.yaml"))
    sim.apply(podfsm.Schedule(node="node-1")).columns.status    # 'ContainerCreating'

``import podfsm`` loads the oracle, the events and the errors only; the simulator, the pydantic
API models and the machines load on first use (``podfsm.Simulator``, ``podfsm.Pod``, ...), and
Hypothesis, Graphviz and ``transitions`` only where they are used (the property suites, the
rendering of diagrams, the reference interpreter).
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, Final

import podfsm._build  # noqa: F401 - first: it picks the compiled or the pure-Python build
from podfsm.config import KUBERNETES_RELEASE, Config, FeatureGates
from podfsm.enums import ConditionStatus, ConditionType, PodPhase, RestartPolicy
from podfsm.errors import IllegalTransition, ManifestError, PodfsmError, UnknownContainer
from podfsm.events import (
    ContainerEvent,
    ContainerExited,
    ContainerStarted,
    ContainerStartFailed,
    Delete,
    Event,
    Evict,
    HookFinished,
    ImagePulled,
    ImagePullFailed,
    NodeDeleted,
    NodeEvent,
    NodeHeartbeat,
    NodeHeartbeatsStop,
    NodeOutOfService,
    NodePressure,
    PodEvent,
    ProbeResult,
    Schedule,
    Tick,
    Unschedulable,
    event_from_dict,
    event_to_dict,
)
from podfsm.oracle import (
    Columns,
    Condition,
    PodReport,
    kubectl_columns,
    pod_conditions,
    pod_phase,
    pod_report,
    pod_summary,
    should_restart,
)

if TYPE_CHECKING:  # loaded on first use, by __getattr__ below
    from podfsm.api import Pod, apply_defaults, validate_pod
    from podfsm.cluster import ClusterSimulator, ClusterStep
    from podfsm.engine import PodState, compile_plan, enabled_events, initial, next_due, step
    from podfsm.kubelet import kubelet_phase
    from podfsm.machines.node import NodeConfig
    from podfsm.machines.records import KEvent
    from podfsm.model import Interpreter, Model
    from podfsm.simulator import Simulator, Step, load_pod, loads_pod
    from podfsm.traces import Observation, TraceVerdict, check_trace, load_trace, states_from_pod

__all__ = [
    "KUBERNETES_RELEASE",
    "ClusterSimulator",
    "ClusterStep",
    "Columns",
    "Condition",
    "ConditionStatus",
    "ConditionType",
    "Config",
    "ContainerEvent",
    "ContainerExited",
    "ContainerStartFailed",
    "ContainerStarted",
    "Delete",
    "Event",
    "Evict",
    "FeatureGates",
    "HookFinished",
    "IllegalTransition",
    "ImagePullFailed",
    "ImagePulled",
    "Interpreter",
    "KEvent",
    "ManifestError",
    "Model",
    "NodeConfig",
    "NodeDeleted",
    "NodeEvent",
    "NodeHeartbeat",
    "NodeHeartbeatsStop",
    "NodeOutOfService",
    "NodePressure",
    "Observation",
    "Pod",
    "PodEvent",
    "PodPhase",
    "PodReport",
    "PodState",
    "PodfsmError",
    "ProbeResult",
    "RestartPolicy",
    "Schedule",
    "Simulator",
    "Step",
    "Tick",
    "TraceVerdict",
    "UnknownContainer",
    "Unschedulable",
    "apply_defaults",
    "check_trace",
    "compile_plan",
    "enabled_events",
    "event_from_dict",
    "event_to_dict",
    "initial",
    "kubectl_columns",
    "kubelet_phase",
    "load_pod",
    "load_trace",
    "loads_pod",
    "next_due",
    "pod_conditions",
    "pod_phase",
    "pod_report",
    "pod_summary",
    "should_restart",
    "states_from_pod",
    "step",
    "validate_pod",
]

# Public names loaded on first use: name -> the module that defines it. These modules pull in
# pydantic and the machine tables, which the oracle does not need.
_LAZY: Final[dict[str, str]] = {
    "Pod": "podfsm.api",
    "apply_defaults": "podfsm.api",
    "validate_pod": "podfsm.api",
    "ClusterSimulator": "podfsm.cluster",
    "ClusterStep": "podfsm.cluster",
    "PodState": "podfsm.engine",
    "compile_plan": "podfsm.engine",
    "enabled_events": "podfsm.engine",
    "initial": "podfsm.engine",
    "next_due": "podfsm.engine",
    "step": "podfsm.engine",
    "kubelet_phase": "podfsm.kubelet",
    "Interpreter": "podfsm.model",
    "Model": "podfsm.model",
    "NodeConfig": "podfsm.machines.node",
    "KEvent": "podfsm.machines.records",
    "Simulator": "podfsm.simulator",
    "Step": "podfsm.simulator",
    "load_pod": "podfsm.simulator",
    "loads_pod": "podfsm.simulator",
    "Observation": "podfsm.traces",
    "TraceVerdict": "podfsm.traces",
    "check_trace": "podfsm.traces",
    "load_trace": "podfsm.traces",
    "states_from_pod": "podfsm.traces",
}


def _publish(obj: Any) -> None:
    """Public names report the public path in reprs and tracebacks (as httpx does)."""
    if isinstance(obj, type) or callable(obj):
        obj.__module__ = "podfsm"


for _name in __all__:
    if _name not in _LAZY:
        _publish(globals()[_name])
del _name


def __getattr__(name: str) -> Any:
    """A lazily loaded public name (see ``_LAZY``), or a submodule (``podfsm.cluster``)."""
    module_name = _LAZY.get(name)
    if module_name is not None:
        module = importlib.import_module(module_name)
        for other, where in _LAZY.items():  # every public name of that module at once
            if where == module_name:
                value = getattr(module, other)
                _publish(value)
                globals()[other] = value
        return globals()[name]
    if not name.startswith("__") and importlib.util.find_spec(f"{__name__}.{name}") is not None:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
