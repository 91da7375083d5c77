"""Explicit configuration: the targeted Kubernetes release, its feature gates and timing constants.

Nothing in podfsm branches on a hidden default: every behaviour that differs between releases
or gates is a field here, with the value the targeted release uses. podfsm implements the gates
as they are in v1.34 (every alpha gate off); turning on a gate it does not model raises
:class:`ValueError` instead of silently doing the default thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Final

__all__ = ["CLOCK_END_RULE", "KUBERNETES_RELEASE", "LAST_TIME", "Config", "FeatureGates"]

KUBERNETES_RELEASE: Final = "v1.34"
#: The last wall time an RFC 3339 ``metav1.Time`` can show: Go's ``time.Time.MarshalJSON`` refuses a year
#: outside [0, 9999], so the API server cannot write a later one. The model's clock stops here.
LAST_TIME: Final = "9999-12-31T23:59:59Z"
#: The rule an :class:`~podfsm.errors.IllegalTransition` names for a tick past :data:`LAST_TIME`.
CLOCK_END_RULE: Final = (
    f"the clock would pass {LAST_TIME}, the last time an RFC 3339 metav1.Time can show (four-digit year)"
)


@dataclass(frozen=True, slots=True)
class FeatureGates:
    """The feature gates that change lifecycle behaviour, with their v1.34 defaults."""

    #: KEP-5307 alpha: per-container restart rules. Not modelled.
    container_restart_rules: bool = False
    #: alpha: restart every container when one exits with a rule. Not modelled.
    restart_all_containers_on_container_exits: bool = False
    #: KEP-4603 alpha: crash-loop back-off 1 s initial / 60 s max.
    reduce_default_crash_loop_back_off_decay: bool = False

    def __post_init__(self) -> None:
        unsupported = [
            name
            for name in ("container_restart_rules", "restart_all_containers_on_container_exits")
            if getattr(self, name)
        ]
        if unsupported:
            raise ValueError(f"feature gate(s) not modelled by podfsm: {', '.join(unsupported)}")


@dataclass(frozen=True, slots=True)
class Config:
    """Everything podfsm's model takes as given. Defaults are Kubernetes v1.34's.

    Times are whole seconds of logical time; ``epoch`` is the wall time of t = 0 in the Pod JSON.
    """

    release: str = KUBERNETES_RELEASE
    gates: FeatureGates = field(default_factory=FeatureGates)
    epoch: str = "2026-01-01T00:00:00Z"
    #: kubelet.go initialCrashLoopBackOff / MaxContainerBackOff (or the reduced pair under the gate).
    crash_loop_back_off_initial: int | None = None
    crash_loop_back_off_max: int | None = None
    #: kubelet.go imageBackOffPeriod / MaxImageBackOff.
    image_back_off_initial: int = 10
    image_back_off_max: int = 300
    #: kubelet.go backOffPeriod: the pod worker re-syncs a pod whose sync failed after this long.
    sync_error_back_off: int = 10
    #: kuberuntime_manager.go minimumGracePeriodInSeconds: SIGTERM→SIGKILL window floor.
    minimum_grace_period: int = 2

    @property
    def last_second(self) -> int:
        """The logical second that is :data:`LAST_TIME`: a tick past it is refused."""
        return _seconds_between(self.epoch, LAST_TIME)

    @property
    def back_off_initial(self) -> int:
        if self.crash_loop_back_off_initial is not None:
            return self.crash_loop_back_off_initial
        return 1 if self.gates.reduce_default_crash_loop_back_off_decay else 10

    @property
    def back_off_max(self) -> int:
        if self.crash_loop_back_off_max is not None:
            return self.crash_loop_back_off_max
        return 60 if self.gates.reduce_default_crash_loop_back_off_decay else 300


@cache
def _seconds_between(start: str, end: str) -> int:
    return int((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
