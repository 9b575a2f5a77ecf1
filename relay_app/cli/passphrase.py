"""How the command line gets a passphrase: RELAY_PASSPHRASE, the keyring, the terminal, or standard input.

Opening an encrypted store (any command): ``RELAY_PASSPHRASE``, else the key the OS keyring
remembers for this computer, else a prompt when standard input is a terminal, else one clear line
and exit 1. A new passphrase (``security encrypt``, ``change-passphrase``) is typed twice at a
terminal, or read as one line of standard input when it is not one.
"""

from __future__ import annotations

import getpass
import os
import sys

from relay_app.cli.inputs import CliError
from relay_app.config import Paths
from relay_app.i18n import _
from relay_app.store.encryption import unlock_remembered, unlock_with_passphrase

PASSPHRASE_VARIABLE = "RELAY_PASSPHRASE"


def open_key(paths: Paths) -> bytes:
    """The key source the command line registers for every command that opens the store."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None:
        return unlock_with_passphrase(paths, given)
    remembered = unlock_remembered(paths)
    if remembered is not None:
        return remembered
    if not _interactive():
        raise CliError(
            _(
                "the store is encrypted: set {variable} or run the command in a terminal to type "
                "its passphrase"
            ).format(variable=PASSPHRASE_VARIABLE)
        )
    return unlock_with_passphrase(paths, getpass.getpass(_("Passphrase: ")))


def current_passphrase(prompt: str) -> str:
    """The passphrase in force, for commands that need it itself (not just the key)."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None:
        return given
    return _read_secret(prompt)


def new_passphrase() -> str:
    """A new passphrase: typed twice at a terminal, else one line of standard input; never empty."""
    if _interactive():
        first = getpass.getpass(_("New passphrase: "))
        if first != getpass.getpass(_("The same passphrase again: ")):
            raise CliError(_("the two passphrases differ; nothing was changed"))
    else:
        first = _stdin_line()
    if not first:
        raise CliError(_("the passphrase is empty; nothing was changed"))
    return first


def confirm(prompt: str) -> bool:
    """A typed "yes" (in the current language or in English) at a terminal; never without one."""
    if not _interactive():
        return False
    answer = input(prompt).strip().lower()
    return answer in {_("yes").lower(), "yes"}


def _read_secret(prompt: str) -> str:
    return getpass.getpass(prompt) if _interactive() else _stdin_line()


def _stdin_line() -> str:
    line = sys.stdin.readline()
    if not line:
        raise CliError(_("no passphrase on standard input; nothing was changed"))
    return line.rstrip("\r\n")


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False
