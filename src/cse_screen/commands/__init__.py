"""CLI subcommands, one module each.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
The CLI imports only the module of the command being run (none for ``--help``, which
lists the commands from :data:`COMMAND_HELP`; all of them for the man page and shell
completion), so a command's own imports never slow the others down. Even so, keep heavy or
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

# What `cse-screen --help` says of each command: a copy of each module's ``HELP``, so that
# listing the commands imports no command module (tests/test_cli_conventions.py keeps them equal).
COMMAND_HELP: dict[str, str] = {
    "run": "open the screening wizard (the default when no command is given)",
    "validate": "check questionnaire files (schema, references, bands, test cases, wording)",
    "schema": (
        "print the JSON Schema of the questionnaire format (for editors), an answers file, or the report JSON"
    ),
    "list": "list the questionnaires you can run and your saved screenings",
    "score": "score an answers file against a questionnaire and show the suggested level and next steps",
    "report": "write the summary report for your DSL (md, html, pdf or json)",
    "show": "show a saved screening (answers, notes, judgement, exports, audit trail)",
    "resume": "continue a draft screening (IDs are shown by `cse-screen list`)",
    "amend": "amend a completed screening (every change needs a reason; the original stays in the trail)",
    "decide": "record the DSL's decision on a completed screening (outcome, who, why, who was told, review)",
    "share": "share a completed screening with the DSL: it shows in their `cse-screen inbox`",
    "inbox": "the DSL's inbox: screenings shared with the DSL, most urgent first, with joined-up concerns",
    "due": "reviews due and overdue, most urgent first (re-screen with `cse-screen rescreen ID`)",
    "rescreen": (
        "screen a child again from a completed screening (the reference carried over, the two linked)"
    ),
    "child": "a child's chronology: every screening, level, decision, export and amendment, with the trend",
    "delete": "delete a saved screening for good (asks first; --yes for scripts)",
    "retention": "list completed screenings older than the review period (never deletes anything)",
    "contacts": "show or edit your local contacts (DSL, children's services front door / MASH, police 101)",
    "doctor": "check the screenings store (integrity, audit trail, stored questionnaires); changes nothing",
    "encrypt": "encrypt screenings saved without encryption (asks for a new passphrase)",
    "passphrase": "change the passphrase of your encrypted screenings",
    "team": "set up a shared team database on PostgreSQL (init, add-user, whoami, migrate); see docs/team.md",
    "completion": "print a shell completion script (bash or zsh) to install in your shell",
}
