"""The closed vocabularies of the v1 Pod API that podfsm reasons about.

Every enum subclasses ``StrEnum`` so that a value compares equal to the exact string the
Kubernetes API prints (``PodPhase.RUNNING == "Running"``) and serialises to it in JSON.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ConditionStatus", "ConditionType", "PodPhase", "PullPolicy", "RestartPolicy"]


class PodPhase(StrEnum):
    """``v1.PodPhase``. ``Unknown`` exists in the API but has not been set since 2015."""

    PENDING = "Pending"
    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    UNKNOWN = "Unknown"

    @property
    def is_terminal(self) -> bool:
        """True iff the phase is Succeeded or Failed (``podutil.IsPodPhaseTerminal``)."""
        return self is PodPhase.SUCCEEDED or self is PodPhase.FAILED


class RestartPolicy(StrEnum):
    """``v1.RestartPolicy`` (pod level, and ``Always`` on an init container for a sidecar)."""

    ALWAYS = "Always"
    ON_FAILURE = "OnFailure"
    NEVER = "Never"


class PullPolicy(StrEnum):
    """``v1.PullPolicy`` (``imagePullPolicy``; defaulted by ``SetDefaults_Container``)."""

    ALWAYS = "Always"
    IF_NOT_PRESENT = "IfNotPresent"
    NEVER = "Never"


class ConditionStatus(StrEnum):
    """``v1.ConditionStatus``."""

    TRUE = "True"
    FALSE = "False"
    UNKNOWN = "Unknown"


class ConditionType(StrEnum):
    """The pod condition types podfsm computes or carries."""

    POD_SCHEDULED = "PodScheduled"
    POD_READY_TO_START_CONTAINERS = "PodReadyToStartContainers"
    INITIALIZED = "Initialized"
    CONTAINERS_READY = "ContainersReady"
    READY = "Ready"
    DISRUPTION_TARGET = "DisruptionTarget"
