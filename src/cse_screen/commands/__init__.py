"""CLI subcommands, one module each.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
The CLI imports only the module of the command being run (all of them only for
``--help``), so a command's own imports never slow the others down. Even so, keep heavy or
UI imports (Textual, Jinja2, fpdf2) inside ``run``.
"""

# Command name -> module name, in the order shown by ``cse-screen --help``.
COMMAND_MODULES: dict[str, str] = {
    "run": "run",
    "validate": "validate",
    "schema": "schema",
    "list": "list_cmd",
    "score": "score",
    "report": "report",
    "show": "show",
    "resume": "resume",
    "amend": "amend",
    "decide": "decide",
    "share": "share",
    "inbox": "inbox",
    "due": "due",
    "rescreen": "rescreen",
    "child": "child",
    "delete": "delete",
    "retention": "retention",
    "contacts": "contacts",
    "doctor": "doctor",
    "encrypt": "encrypt",
    "passphrase": "passphrase_cmd",
    "team": "team",
    "completion": "completion",
}
