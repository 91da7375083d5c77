"""Rendering: the machines' diagrams drawn from the tables that run (:mod:`~podfsm.rendering.diagrams`),
an explored state graph (:mod:`~podfsm.rendering.stategraph`) and a run's timeline
(:mod:`~podfsm.rendering.timeline`)."""
