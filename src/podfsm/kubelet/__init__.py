"""The kubelet: its decisions (:mod:`podfsm.kubelet.decisions`: the containers' view, the phase,
the pod worker's per-stage passes, the pod summary the pod table's SYNC rows read) and the status
it generates from the model's state (:mod:`podfsm.kubelet.snapshot`: the v1 Pod JSON).

The decisions are plain functions of a plan and a state; :data:`podfsm.model.DEFAULT` holds them,
and a model value may replace any of them."""

from podfsm.kubelet.decisions import *  # noqa: F403
from podfsm.kubelet.decisions import __all__ as __all__
