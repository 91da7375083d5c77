"""podfsm: an executable, formal model of the Kubernetes Pod lifecycle.

Import it as a reference oracle::

    import podfsm
    podfsm.pod_phase(pod_json)          # the kubelet's getPhase
    podfsm.kubectl_columns(pod_json)    # kubectl get pods STATUS / READY / RESTARTS

or run a pod through what happens to it::

    sim = podfsm.Simulator(podfsm.load_pod("examples/nginx/pod.yaml"))
    sim.apply(podfsm.Schedule(node="node-1")).columns.status    # 'ContainerCreating'
"""

from podfsm.api import Pod, apply_defaults, validate_pod
from podfsm.cluster import ClusterSimulator, ClusterStep
from podfsm.config import KUBERNETES_RELEASE, Config, FeatureGates
from podfsm.engine import PodState, compile_plan, enabled_events, initial, step
from podfsm.enums import ConditionStatus, ConditionType, PodPhase, RestartPolicy
from podfsm.errors import IllegalTransition, ManifestError, PodfsmError
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
from podfsm.node import NodeConfig
from podfsm.oracle import (
    Columns,
    Condition,
    kubectl_columns,
    pod_conditions,
    pod_phase,
    pod_summary,
    should_restart,
)
from podfsm.records import KEvent
from podfsm.simulator import Simulator, Step, load_pod

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
    "KEvent",
    "ManifestError",
    "NodeConfig",
    "NodeDeleted",
    "NodeEvent",
    "NodeHeartbeat",
    "NodeHeartbeatsStop",
    "NodeOutOfService",
    "NodePressure",
    "Pod",
    "PodEvent",
    "PodPhase",
    "PodState",
    "PodfsmError",
    "ProbeResult",
    "RestartPolicy",
    "Schedule",
    "Simulator",
    "Step",
    "Tick",
    "Unschedulable",
    "apply_defaults",
    "compile_plan",
    "enabled_events",
    "event_from_dict",
    "event_to_dict",
    "initial",
    "kubectl_columns",
    "load_pod",
    "pod_conditions",
    "pod_phase",
    "pod_summary",
    "should_restart",
    "step",
    "validate_pod",
]

# Public names report the public path in reprs and tracebacks (as httpx does).
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        _obj.__module__ = "podfsm"
del _name, _obj
