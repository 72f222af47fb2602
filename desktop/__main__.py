"""``python -m desktop`` / ``declarant-desk``: the command line (see ``--help``).

``--self-test`` and ``--screenshot`` run without user interaction and exit; otherwise the
program starts interactively (:func:`desktop.app.run`).
"""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .app import build_parser

    options = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    if options.self_test:
        from .selftest import run_self_test

        return run_self_test(options)
    if options.screenshot:
        from .screenshot import take_screenshot

        return take_screenshot(options)
    from .app import run

    return run(options)


if __name__ == "__main__":
    sys.exit(main())
