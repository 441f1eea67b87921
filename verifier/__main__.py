"""`pacer-verify` and `python -m verifier`, their first lines: for `check`, Playwright's driver starts
before anything else is imported (verifier.browser.early), then the command line is read (verifier.cli)."""

from __future__ import annotations

import sys


def main() -> None:
    from verifier.browser import early

    if early.wanted(sys.argv[1:]):
        early.begin()
    try:
        from verifier.cli import main as cli_main

        cli_main()
    finally:
        early.discard()  # the command took it (and closed it), or it is closed now


if __name__ == "__main__":
    main()
