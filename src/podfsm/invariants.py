"""Stable import path of :mod:`podfsm.verification.invariants` (the registry of named properties and the judge)."""

from podfsm.verification.invariants import *  # noqa: F403
from podfsm.verification.invariants import __all__ as __all__
