"""Write the x-pseudo catalog: every message of i18n/messages.pot accented and wrapped in "[!! !!]".

Usage: .venv/bin/python scripts/pseudo_locale.py [--output FILE] [--mo]

The app builds the same catalog in memory (``set_language("x-pseudo")``, or start it with
``RELAY_LANG=x-pseudo``); this file is for looking at the result, or for tools that want a
.po or .mo. Write it outside the repository: compiled catalogs are never committed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from relay_app.i18n import pseudo_catalog


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output)"
    )
    parser.add_argument("--mo", action="store_true", help="write a compiled .mo instead of a .po")
    args = parser.parse_args(argv)
    catalog = pseudo_catalog()
    if args.output is None:
        stream = sys.stdout.buffer
        (write_mo if args.mo else write_po)(stream, catalog)
        stream.flush()
        return 0
    with args.output.open("wb") as handle:
        if args.mo:
            write_mo(handle, catalog)
        else:
            write_po(handle, catalog, width=76)
    return 0


if __name__ == "__main__":
    sys.exit(main())
