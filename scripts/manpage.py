"""Write ``docs/cse-screen.1``, the man page, from the same parser the command uses.

Run ``python scripts/manpage.py`` after changing a command or option (a test fails until
you do: ``tests/test_cli_conventions.py``). ``--check`` exits 1 if the page is out of date.
The date is the newest release's date in CHANGELOG.md, so the page changes only when the
commands or the release do.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from argparse_manpage.manpage import Manpage

from cse_screen import __version__
from cse_screen.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "cse-screen.1"


def release_date() -> str:
    """The date of the newest dated release in CHANGELOG.md (``## [x.y.z] - YYYY-MM-DD``)."""
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    found = re.search(r"^## \[[^\]]+\] - (\d{4}-\d{2}-\d{2})", text, re.M)
    if found is None:
        raise SystemExit("CHANGELOG.md has no dated release heading")
    return found.group(1)


def render() -> str:
    """The man page text for the current commands and options."""
    parser, _ = build_parser()
    page = Manpage(
        parser,
        _data={
            "project_name": "cse-screen",
            "version": __version__,
            "date": release_date(),
            "description": "screen for child sexual exploitation and brief your DSL",
            "manual_section": "1",
            "manual_title": "cse-screen manual",
        },
    )
    return str(page)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/cse-screen.1 is out of date")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE.relative_to(REPO)} is out of date: run python scripts/manpage.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
