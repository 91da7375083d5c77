"""``python -m podfsm``: the same as the ``podfsm`` command."""

from podfsm.cli import main

raise SystemExit(main())
