"""CLI subcommands, one module each.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``.
Modules must import only the standard library and the pure core at module level; heavy
or UI imports (Textual, Jinja2, fpdf2) happen inside ``run`` so ``cse-screen validate``
starts fast.
"""

# Order here is the order shown in ``cse-screen --help``. A module listed here that does
# not exist yet is skipped, so features can land independently.
COMMAND_MODULES: tuple[str, ...] = (
    "run",
    "validate",
    "schema",
    "list_cmd",
    "score",
    "report",
    "show",
    "resume",
    "delete",
    "retention",
    "contacts",
)
