"""Settings for the property suites.

``PODFSM_PROFILE=fast|thorough`` picks the budget (default ``fast``, what CI runs);
``PODFSM_SEED=N`` seeds Hypothesis (default: derandomized, the same examples every run)::

    PODFSM_PROFILE=thorough .venv/bin/pytest properties
"""
