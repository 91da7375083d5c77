"""Trace validation: check a real cluster's pod history against the model (``podfsm check-trace``).

:func:`load_trace` reads what ``kubectl get pods -w`` or a watch stream printed
(:mod:`podfsm.traces.formats`) into :class:`Observation` values; :func:`check_trace` searches the
model value for a run that explains them (:mod:`podfsm.traces.check`).
"""

from podfsm.traces.check import (
    DEFAULT_MAX_SILENT,
    Mismatch,
    PodVerdict,
    TraceVerdict,
    check_trace,
    manifest_of,
    states_from_pod,
)
from podfsm.traces.formats import TraceError, load_trace, parse_trace
from podfsm.traces.observations import ContainerObs, Observation, ObsKind

__all__ = [
    "DEFAULT_MAX_SILENT",
    "ContainerObs",
    "Mismatch",
    "ObsKind",
    "Observation",
    "PodVerdict",
    "TraceError",
    "TraceVerdict",
    "check_trace",
    "load_trace",
    "manifest_of",
    "parse_trace",
    "states_from_pod",
]
