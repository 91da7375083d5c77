"""API objects and loading: the v1 Pod subset podfsm reads (:mod:`podfsm.api.objects`, pydantic),
manifests and workloads from YAML or JSON (:mod:`podfsm.api.loader`) and the QoS class
(:mod:`podfsm.api.qos`). Nothing here knows the machines."""

from podfsm.api.objects import *  # noqa: F403
from podfsm.api.objects import __all__ as __all__
