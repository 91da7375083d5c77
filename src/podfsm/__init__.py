"""podfsm: an executable, formal model of the Kubernetes Pod lifecycle.

Import it as a reference oracle::

    import podfsm
    podfsm.pod_phase(pod_json)          # the kubelet's getPhase
    podfsm.kubectl_columns(pod_json)    # kubectl get pods STATUS / READY / RESTARTS
"""

from podfsm.enums import ConditionStatus, ConditionType, PodPhase, RestartPolicy
from podfsm.oracle import Columns, Condition, kubectl_columns, pod_conditions, pod_phase, should_restart

__all__ = [
    "Columns",
    "Condition",
    "ConditionStatus",
    "ConditionType",
    "PodPhase",
    "RestartPolicy",
    "kubectl_columns",
    "pod_conditions",
    "pod_phase",
    "should_restart",
]

# Public names report the public path in reprs and tracebacks (as httpx does).
for _name in __all__:
    globals()[_name].__module__ = "podfsm"
del _name
