"""Stable import path of :mod:`podfsm.rendering.stategraph` (an explored state graph, drawn)."""

from podfsm.rendering.stategraph import *  # noqa: F403
from podfsm.rendering.stategraph import __all__ as __all__
