"""``cse-screen report --child REF``: write a child's chronology report (md, html, pdf, json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cse_screen.errors import UserError


def run_child(args: argparse.Namespace) -> int:
    """Build the chronology, render it and write it (never replacing a file without --force)."""
    from cse_screen.commands._private_input import one
    from cse_screen.commands.report import _generated_at
    from cse_screen.report.chronology import render_chronology
    from cse_screen.report.files import write_report
    from cse_screen.session.chronology import chronology, chronology_doc

    if args.id or args.questionnaire or args.answers:
        raise UserError("report: give --child REF on its own (not with --id or QUESTIONNAIRE ANSWERS)")
    to_stdout = args.output == "-"
    if to_stdout and args.format == "pdf":
        raise UserError("-o -: a PDF cannot go to the terminal — give a file name, e.g. -o chronology.pdf")
    ref = one(args.child, "Child reference") or ""
    from cse_screen.passphrase import for_terminal

    chron = chronology(args.data_dir, ref, passphrase=for_terminal(), words=True)
    doc = chronology_doc(chron, _generated_at())
    data = render_chronology(doc, args.format)
    if to_stdout:
        assert isinstance(data, str)
        sys.stdout.write(data)
        return 0
    # The default name holds no reference: a file name is seen by anyone who lists the folder.
    path = Path(args.output or f"chronology-{doc.generated_at:%Y%m%d-%H%M%S}.{args.format}")
    written = write_report(data, path, force=args.force)
    print(
        f"Chronology written to {written}. It holds special-category data about a child: "
        "share it only with the DSL."
    )
    return 0
