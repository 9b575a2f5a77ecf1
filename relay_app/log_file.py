"""The desktop app's log file, for support: each start, and every error nobody caught.

It lives in ``logs/`` of the data folder, which is private to its owner like the database, because
an error's message may quote a value a person typed. It rotates at ``MAX_BYTES`` and keeps
``KEPT_FILES`` older files, so it never grows without bound. Records and sync traffic are not
logged; the sync history lives in the database. For an encrypted store an error is logged by
its type and where it happened, never by its message, which may quote a value.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from relay_app import __version__
from relay_app.config import Paths
from relay_app.private_files import create_private_file, private_dir
from relay_app.store.unlocked import is_encrypted

LOG_FILE = "relay.log"
MAX_BYTES = 1_000_000
KEPT_FILES = 3
LOGGER = "relay_app"

_handler: RotatingFileHandler | None = None


def log_file(paths: Paths) -> Path:
    return paths.logs / LOG_FILE


def start_log(paths: Paths) -> Path:
    """Write to ``paths``' log file from now on (a second call moves it), noting this start."""
    global _handler
    path = log_file(paths)
    private_dir(path.parent)
    create_private_file(path)
    logger = logging.getLogger(LOGGER)
    if _handler is not None:
        logger.removeHandler(_handler)
        _handler.close()
    _handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEPT_FILES, encoding="utf-8")
    formatter = _ValueFreeFormatter if is_encrypted(paths) else logging.Formatter
    _handler.setFormatter(formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(_handler)
    logger.setLevel(logging.INFO)
    logger.info(
        "Relay %s started on Python %s (%s), data folder %s",
        __version__,
        platform.python_version(),
        platform.platform(),
        paths.data_dir,
    )
    _catch_uncaught()
    return path


class _ValueFreeFormatter(logging.Formatter):
    """Tracebacks as frames and exception types only: no message, which may quote record text."""

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]  # noqa: N802 (logging's name)
        kind, error, trace = ei
        frames = "".join(traceback.format_tb(trace))
        name = kind.__qualname__ if kind is not None else type(error).__name__
        return f"Traceback (most recent call last):\n{frames}{name} (message not logged)"


def _catch_uncaught() -> None:
    """Log errors that reach the top of a thread or of a Qt slot, then let the usual report run."""
    previous = sys.excepthook
    if getattr(previous, "relay_logs", False):
        return
    previous_thread_hook = threading.excepthook

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        logging.getLogger(LOGGER).critical("Uncaught error", exc_info=(kind, error, trace))
        previous(kind, error, trace)

    def thread_hook(arguments: threading.ExceptHookArgs) -> None:
        if arguments.exc_value is not None:
            logging.getLogger(LOGGER).critical(
                "Uncaught error in a thread",
                exc_info=(arguments.exc_type, arguments.exc_value, arguments.exc_traceback),
            )
        previous_thread_hook(arguments)

    hook.relay_logs = True  # type: ignore[attr-defined]
    sys.excepthook = hook
    threading.excepthook = thread_hook
