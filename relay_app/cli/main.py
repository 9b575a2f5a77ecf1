"""`relay-app`: the desktop window without a command, scriptable commands otherwise.

Exit codes: 0 done, 1 a problem with the input or the data (one translated line on stderr),
2 a usage error (from argparse), 130 interrupted.
"""

from __future__ import annotations

import os
import sys

from relay_app.cli.inputs import CliError
from relay_app.cli.output import print_error
from relay_app.cli.parser import build_parser, language_option
from relay_app.cli.passphrase import open_key
from relay_app.config import LANGUAGE_VARIABLE, Paths, resolve_paths
from relay_app.i18n import _, normalise_language, set_language, system_language
from relay_app.services.errors import ServiceError
from relay_app.store.backups import RestoreRefused
from relay_app.store.encrypting import EncryptionRefused
from relay_app.store.health import StoreProblem
from relay_app.store.store_key import KeyFileProblem, WrongPassphrase
from relay_app.store.unlocked import StoreLocked, drop_all, set_key_source
from relay_app.transfer import TransferError


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    explicit_language = language_option(arguments)
    choose_language(explicit_language)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as done:  # --help, --version and usage errors
        return done.code if isinstance(done.code, int) else 0
    try:
        paths = resolve_paths(args.data_dir)
        if args.command is None:
            return _run_desktop(paths, explicit_language)
        set_key_source(open_key)  # an encrypted store asks for its passphrase only when opened
        return int(args.handler(args, paths))
    except (
        CliError, ServiceError, TransferError, StoreProblem, RestoreRefused,
        WrongPassphrase, StoreLocked, KeyFileProblem, EncryptionRefused,
    ) as error:
        print_error(_("Error: {message}").format(message=error))
    except BrokenPipeError:
        _silence_stdout()  # the reader (e.g. `head`) has gone; nothing left to say
    except OSError as error:
        reason = error.strerror or str(error)
        where = error.filename
        message = _("{file}: {reason}").format(file=where, reason=reason) if where else reason
        print_error(_("Error: {message}").format(message=message))
    except KeyboardInterrupt:
        print_error(_("Interrupted."))
        return 130
    except Exception as error:
        if not _is_database_problem(error):
            raise
        reason = " ".join(str(getattr(error, "orig", None) or error).split())
        print_error(_("Error: the database cannot be used ({reason}).").format(reason=reason))
    finally:
        drop_all()  # the data key lives no longer than the command that needed it
    return 1


def choose_language(option: str | None) -> str:
    """``--lang``, else ``RELAY_LANG``, else the system's language."""
    wanted = normalise_language(option) or normalise_language(os.environ.get(LANGUAGE_VARIABLE))
    return set_language(wanted or system_language())


def _run_desktop(paths: Paths, language: str | None) -> int:
    from relay_app.ui.app import run_app  # Qt is loaded only for the window

    return int(run_app(paths, language=normalise_language(language)) or 0)


def _is_database_problem(error: Exception) -> bool:
    """A damaged, locked or newer database file: the person can act on it, it is no bug.

    The classes are looked up among modules already loaded: one that was never imported raised
    nothing, and importing it just to name its errors would slow every command down.
    """
    sqlalchemy_errors = sys.modules.get("sqlalchemy.exc")
    if sqlalchemy_errors is not None and (
        isinstance(error, sqlalchemy_errors.OperationalError)
        or type(error) is sqlalchemy_errors.DatabaseError  # "file is not a database"
    ):
        return True
    alembic_errors = sys.modules.get("alembic.util.exc")
    return alembic_errors is not None and isinstance(error, alembic_errors.CommandError)


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
