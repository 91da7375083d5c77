"""The command line: ``podfsm status | simulate | diagram | verify | explore``
(:mod:`podfsm.cli.commands`), and the hostile-input campaign that runs every command on what a fuzzer
writes (:mod:`podfsm.cli.hostile`)."""

from podfsm.cli.commands import main, render_table

__all__ = ["main", "render_table"]
