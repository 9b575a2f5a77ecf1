"""Fields the editor fills in from others while the person types: the region from the country.

The rule is the form's own (``Form.derivations``: ``RegionFromCountry``), the one that saving and
imports apply to an empty region, so the editor shows beforehand what would be stored. Choosing a
country fills an empty region and updates a region that was filled in automatically (or is the
one the previous country gives); a region the person chose stays as they chose it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from relay_app.ui.editor.record_editor import RecordEditor


class DerivedFields(QObject):
    """Applies the form's derivations to ``editor`` as its fields are edited."""

    def __init__(self, editor: RecordEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._derivations = tuple(
            derivation
            for derivation in editor.form.derivations
            if derivation.target in editor.rows and all(name in editor.rows for name in derivation.fields)
        )
        # Per target, the value it would have if filled in automatically from the current inputs.
        self._automatic: dict[str, Any] = {}
        editor.field_edited.connect(self._edited)
        editor.values_loaded.connect(self._loaded)
        self._loaded()

    def _values(self, names: Iterable[str]) -> dict[str, Any]:
        form, editor = self._editor.form, self._editor
        return {name: form.coerce_field(name, editor.field_input(name).raw())[0] for name in names}

    def _loaded(self) -> None:
        """A record or draft was shown: a region equal to its country's counts as automatic."""
        for derivation in self._derivations:
            self._automatic[derivation.target] = derivation.derive(self._values(derivation.fields))

    def _edited(self, name: str) -> None:
        for derivation in self._derivations:
            if name not in derivation.fields:
                continue
            target = derivation.target
            current = self._values((target,))[target]
            automatic = current is None or current == self._automatic.get(target)
            derived = derivation.derive(self._values(derivation.fields))
            self._automatic[target] = derived
            if automatic and derived != current:
                self._editor.field_input(target).set_raw(derived)
