from podfsm.oracle import Columns, Condition, kubectl_columns, pod_conditions, pod_phase, should_restart

__all__ = ["Columns", "Condition", "kubectl_columns", "pod_conditions", "pod_phase", "should_restart"]
