"""Stable import path of :mod:`podfsm.verification.strategies` (the Hypothesis strategies for your own tests)."""

from podfsm.verification.strategies import *  # noqa: F403
from podfsm.verification.strategies import __all__ as __all__
