"""The pod's QoS class, as ``status.qosClass`` shows it and the kubelet ranks evictions by it."""

from __future__ import annotations

from typing import Any

__all__ = ["qos_class"]


def qos_class(spec: dict[str, Any]) -> str:
    """``GetPodQOS``: Guaranteed if every container's cpu and memory limits equal its requests, BestEffort if none are set."""
    containers = [*(spec.get("initContainers") or ()), *(spec.get("containers") or ())]
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") or {}
        requests = res.get("requests") or {}
        limits = res.get("limits") or {}
        if requests or limits:
            any_set = True
        for r in ("cpu", "memory"):
            limit = limits.get(r)
            request = requests.get(r, limit)
            if limit is None or str(request) != str(limit):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"
