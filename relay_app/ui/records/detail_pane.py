"""A read-only view of the selected record: every field that has a value, labelled, and its files.

A file whose bytes have not reached this device yet (its link synced first, or the data saver
holds it back) shows as "Not downloaded yet", and a bar under the text offers "Download now".
A click on a thumbnail, or Enter once Tab has reached it, opens the record's photos in the app's
viewer.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QRect, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QTextBrowser
from shiboken6 import isValid

from relay_app import carbon
from relay_app.forms import form_for
from relay_app.i18n import _
from relay_app.services import RecordView, Services
from relay_app.services.attachments import AttachmentStore
from relay_app.services.errors import ServiceError
from relay_app.services.mapping import NearbyPartner
from relay_app.services.record_files import ROLES_BY_KIND, RecordFile, RecordFileService
from relay_app.ui.editor.files import thumbnail_image
from relay_app.ui.operations import Operation
from relay_app.ui.photo_viewer import PhotoViewer, enter_opens_photos, open_photo_viewer
from relay_app.ui.records.display import display_value
from relay_app.ui.records.nearest import nearest_partners, nearest_partners_html
from relay_app.ui.sync.missing_files import MissingFilesBar, not_downloaded_text, placeholder_pixmap

THUMBNAIL = 96
FILE_SCHEME = "relay-file"  # image resources of the document: relay-file:<sha256> or :missing
MISSING = "missing"
OPEN_SCHEME = "relay-open"  # a thumbnail's link: relay-open:<file id>


class DetailPane(QTextBrowser):
    neighbours_shown = Signal(str)  # a partner's id, once its nearest partners are on show

    def __init__(self, kind: str, services: Services) -> None:
        super().__init__()
        self._services = services
        self._nearby: tuple[str | None, list[NearbyPartner]] = (None, [])
        self._form = form_for(kind)
        self._record: RecordView | None = None
        self._files: list[RecordFile] = []
        self._file_service: RecordFileService | None = None
        if ROLES_BY_KIND.get(kind):
            self._file_service = RecordFileService(
                services.database, AttachmentStore(services.paths.attachments), services.device_id
            )
        self.setOpenExternalLinks(False)
        self.setOpenLinks(False)  # a thumbnail's link opens the viewer, not another document
        self.anchorClicked.connect(self._link_activated)
        enter_opens_photos(self, lambda: self.textCursor().charFormat().anchorHref().startswith(OPEN_SCHEME))
        self.missing_bar = MissingFilesBar(self)
        self.missing_bar.sync_ended.connect(self._sync_ended)
        self.retranslate_ui()

    @property
    def record(self) -> RecordView | None:
        return self._record

    @property
    def files(self) -> list[RecordFile]:
        return list(self._files)

    def missing_files(self) -> list[RecordFile]:
        return [file for file in self._files if not self._is_here(file)]

    def show_record(self, record: RecordView | None) -> None:
        self._record = record
        self._files = self._read_files(record)
        self.retranslate_ui()
        if record is not None and record.kind == "partners":
            self._find_neighbours(record)

    def _find_neighbours(self, partner: RecordView) -> None:
        services = self._services
        Operation(self, lambda _progress: nearest_partners(services, partner)).success(
            lambda nearby: self._neighbours_found(partner.id, nearby)
        ).failure(lambda _error: None).run()

    def _neighbours_found(self, partner_id: str, nearby: list[NearbyPartner]) -> None:
        if not isValid(self) or self._record is None or self._record.id != partner_id:
            return  # another record is shown by now
        self._nearby = (partner_id, nearby)
        self.retranslate_ui()
        self.neighbours_shown.emit(partner_id)

    def _read_files(self, record: RecordView | None) -> list[RecordFile]:
        if record is None or self._file_service is None:
            return []
        try:
            return self._file_service.list(record.kind, record.id)
        except ServiceError:
            return []

    def _is_here(self, file: RecordFile) -> bool:
        return self._file_service is not None and self._file_service.path_for(file).is_file()

    def _sync_ended(self) -> None:
        if self._record is not None and any(self._is_here(file) for file in self._files):
            self.show_record(self._record)  # a file arrived: show it, and read its new links

    def retranslate_ui(self) -> None:
        self.setAccessibleName(_("Record details"))
        record = self._record
        if record is None:
            # Outside the f-string: the message extractor does not look inside one.
            hint = _("Select a record to see its details.")
            self.setHtml(f"<p>{html.escape(hint)}</p>")
            self._show_missing(0)
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
        if record.kind == "partners" and self._nearby[0] == record.id:
            parts.extend(nearest_partners_html(self._nearby[1]))
        parts.extend(self._files_html())
        self.setHtml("".join(parts))
        self._show_missing(len(self.missing_files()))

    def _files_html(self) -> list[str]:
        if not self._files:
            return []
        heading = _("Files")
        parts = [f"<h3>{html.escape(heading)}</h3><table cellpadding='3'>"]
        for file in self._files:
            name = html.escape(file.caption or file.filename or _("(no name)"))
            if self._is_here(file):
                source, note = f"{FILE_SCHEME}:{file.sha256}", ""
            else:
                source, note = f"{FILE_SCHEME}:{MISSING}", html.escape(not_downloaded_text())
            parts.append(
                f"<tr><td><a href='{OPEN_SCHEME}:{file.id}'><img src='{source}'></a></td>"
                f"<td valign='middle'>{name}<br><i>{note}</i></td></tr>"
            )
        parts.append("</table>")
        return parts

    def _link_activated(self, url: QUrl) -> None:
        if url.scheme() == OPEN_SCHEME:
            self.open_photo(url.path())
        elif url.scheme() in ("mailto", "tel"):
            QDesktopServices.openUrl(url)

    def open_photo(self, file_id: str) -> PhotoViewer | None:
        if self._file_service is None:
            return None
        return open_photo_viewer(self, self._file_service.store, self._files, file_id)

    def loadResource(self, kind: int, name: QUrl) -> Any:  # noqa: N802 (Qt's name)
        """Thumbnails of the record's files, decoded at their shown size; the placeholder else."""
        if name.scheme() != FILE_SCHEME or kind != QTextDocument.ResourceType.ImageResource.value:
            return super().loadResource(kind, name)
        sha = name.path()
        if sha != MISSING and self._file_service is not None:
            try:
                image = thumbnail_image(self._file_service.store.path_for(sha), THUMBNAIL)
            except ValueError:  # not a hash: nothing of ours
                image = None
            if image is not None:
                return image
        return placeholder_pixmap(THUMBNAIL).toImage()

    def _show_missing(self, count: int) -> None:
        self.missing_bar.set_missing(count)
        self._place_missing_bar()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_missing_bar()

    def _place_missing_bar(self) -> None:
        """The bar sits under the text, inside the frame, and the text scrolls above it."""
        height = self.missing_bar.sizeHint().height() if self.missing_bar.missing else 0
        self.setViewportMargins(0, 0, 0, height)
        inside = self.contentsRect()
        self.missing_bar.setGeometry(
            QRect(inside.left(), inside.bottom() - height + 1, inside.width(), height)
        )

    def _reference_title(self, kind: str, record_id: str) -> str:
        try:
            return self._services.records(kind).get(record_id).summary
        except ServiceError:
            return record_id  # not (yet) here, e.g. before a sync: the id still helps

