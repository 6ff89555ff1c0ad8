"""python -m fapilog_hub_cli: the same as the fapilog-hub command."""

import sys

from fapilog_hub_cli.cli import main

sys.exit(main())
