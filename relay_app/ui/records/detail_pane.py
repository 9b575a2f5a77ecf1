"""A read-only view of the selected record: every field that has a value, labelled."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser

from relay_app import carbon
from relay_app.forms import form_for
from relay_app.i18n import _
from relay_app.services import RecordView, Services
from relay_app.services.errors import ServiceError
from relay_app.ui.records.display import display_value


class DetailPane(QTextBrowser):
    def __init__(self, kind: str, services: Services) -> None:
        super().__init__()
        self._services = services
        self._form = form_for(kind)
        self._record: RecordView | None = None
        self.setOpenExternalLinks(False)
        self.retranslate_ui()

    @property
    def record(self) -> RecordView | None:
        return self._record

    def show_record(self, record: RecordView | None) -> None:
        self._record = record
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Record details"))
        record = self._record
        if record is None:
            self.setHtml(f"<p>{html.escape(_('Select a record to see its details.'))}</p>")
            return
        parts = [f"<h2>{html.escape(record.summary)}</h2><table cellpadding='3'>"]
        for field in self._form.fields:
            shown = display_value(field, record.values.get(field.name))
            if field.type.value == "reference" and record.values.get(field.name):
                shown = self._reference_title(field.reference or "", str(record.values[field.name]))
            if shown:
                parts.append(
                    f"<tr><th align='left' valign='top'>{html.escape(_(field.label))}</th>"
                    f"<td>{html.escape(shown).replace(chr(10), '<br>')}</td></tr>"
                )
        parts.append("</table>")
        if record.kind == "practices":
            values = record.values
            result = carbon.soc_change(
                values.get("soc_before_t_ha"),
                values.get("soc_after_t_ha"),
                values.get("soc_years"),
                values.get("soc_depth_cm"),
            )
            line = _("4 per 1000 result: {result}").format(result=carbon.describe(result))
            parts.append(f"<p><b>{html.escape(line)}</b></p>")
        self.setHtml("".join(parts))

    def _reference_title(self, kind: str, record_id: str) -> str:
        try:
            return self._services.records(kind).get(record_id).summary
        except ServiceError:
            return record_id  # not (yet) here, e.g. before a sync: the id still helps
