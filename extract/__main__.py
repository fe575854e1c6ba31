"""``python -m extract``: the command line, see extract/cli.py."""

from extract.cli import main

raise SystemExit(main())
