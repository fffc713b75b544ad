"""The console entry point: as small as possible, so that Ctrl-C while the command line
interface is still importing ends with one line rather than a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from assure.cli import main as cli_main

        cli_main()
    except KeyboardInterrupt:  # before a command could handle it (a check handles its own)
        sys.stderr.write("assure: interrupted\n")
        raise SystemExit(2) from None
