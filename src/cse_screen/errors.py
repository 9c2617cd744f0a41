"""Errors meant for people: each carries a message that says where and how to fix it."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user (a file, an argument, an answer).

    The CLI prints ``str(error)`` to stderr and exits with code 2; never a traceback.
    The message must say where the problem is and how to fix it, and must never contain
    answers, notes or other screening content.
    """

    exit_code = 2
