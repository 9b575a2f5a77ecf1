"""The import wizard, a view over ``relay_app.imports``."""

from relay_app.ui.imports.history import ImportHistoryDialog
from relay_app.ui.imports.wizard import ImportWizard, open_import_wizard

__all__ = ["ImportHistoryDialog", "ImportWizard", "open_import_wizard"]
