"""Verification: the registry of named properties and the judge (:mod:`~podfsm.verification.invariants`),
the exhaustive explorer (:mod:`~podfsm.verification.explorer`), the Hypothesis strategies and suites
(:mod:`~podfsm.verification.strategies`, :mod:`~podfsm.verification.lifecycle_machine`,
:mod:`~podfsm.verification.verify`), the mutants (:mod:`~podfsm.verification.mutants`) and the
explorations drawn for the diagrams (:mod:`~podfsm.verification.showcase`). Every one takes the model
to check as a value."""
