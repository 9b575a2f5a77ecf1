"""Engine work started by a page's Next button: off the GUI thread, then the page moves on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWizardPage
from shiboken6 import isValid

from relay_app.i18n import _
from relay_app.ui.operations import Cancelled, Operation, Work


class AsyncStep:
    """Runs ``work`` on the database thread with a progress dialog (Cancel stops it).

    The page's ``validatePage`` starts it and answers False; ``done`` moves the wizard on. While it
    runs the page is not complete, so Next cannot start it twice.
    """

    def __init__(self, page: QWizardPage) -> None:
        self._page = page
        self.running = False
        self.operation: Operation | None = None

    def start(
        self,
        label: str,
        work: Work,
        done: Callable[[Any], None],
        problem: Callable[[str], None],
    ) -> Operation:
        self.running = True
        self._page.completeChanged.emit()

        def succeeded(result: Any) -> None:
            if not isValid(self._page):  # the wizard was closed meanwhile
                return
            self._finish()
            done(result)

        def failed(error: BaseException) -> None:
            if not isValid(self._page):
                return
            self._finish()
            if isinstance(error, Cancelled):
                problem(_("Cancelled: nothing was written."))
            else:
                problem(str(error))

        self.operation = Operation(self._page, work).with_progress(label).success(succeeded).failure(failed)
        return self.operation.run()

    def cancel(self) -> None:
        """Stop the work if it runs (a write is rolled back: nothing is written)."""
        if self.running and self.operation is not None:
            self.operation.cancel()

    def _finish(self) -> None:
        self.running = False
        self._page.completeChanged.emit()
