"""The few questions the app asks (delete? unsaved changes?), worded and translated in one place."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from relay_app.i18n import _, ngettext
from relay_app.services.records import Referrer

REFERRERS_SHOWN = 8  # titles listed in the question; the rest are counted


class Unsaved(StrEnum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def confirm_delete_records(
    parent: QWidget, kind: str, titles: Sequence[str], referrers: Sequence[Referrer]
) -> bool:
    """Ask once before deleting ``titles`` (records of ``kind``), naming who still refers to them."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if referrers else QMessageBox.Icon.Question)
    box.setWindowTitle(_("Delete record"))
    if len(titles) == 1:
        box.setText(_("Delete “{title}”?").format(title=titles[0]))
    else:
        box.setText(delete_question(kind, len(titles)))
    lines: list[str] = []
    if referrers:
        lines.append(referrers_warning(referrers, several=len(titles) > 1))
        lines.extend(_("• {title}").format(title=item.summary) for item in referrers[:REFERRERS_SHOWN])
        hidden = len(referrers) - REFERRERS_SHOWN
        if hidden > 0:
            lines.append(ngettext("…and {count} more.", "…and {count} more.", hidden).format(count=hidden))
        lines.append("")
    lines.append(_("You can undo this with Ctrl+Z."))
    box.setInformativeText("\n".join(lines))
    delete = box.addButton(
        _("Delete anyway") if referrers else _("Delete"), QMessageBox.ButtonRole.DestructiveRole
    )
    keep = box.addButton(_("Keep"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is delete


def delete_question(kind: str, count: int) -> str:
    if kind == "partners":
        text = ngettext("Delete {count} partner?", "Delete {count} partners?", count)
    elif kind == "practices":
        text = ngettext("Delete {count} practice?", "Delete {count} practices?", count)
    elif kind == "forums":
        text = ngettext("Delete {count} forum?", "Delete {count} forums?", count)
    elif kind == "registrations":
        text = ngettext("Delete {count} registration?", "Delete {count} registrations?", count)
    else:
        text = ngettext("Delete {count} record?", "Delete {count} records?", count)
    return text.format(count=count)


def referrers_warning(referrers: Sequence[Referrer], *, several: bool) -> str:
    """One sentence on the records that name what is being deleted, by the kind of reference."""
    count = len(referrers)
    relations = {(item.kind, item.field) for item in referrers}
    if relations == {("practices", "partner_id")}:
        if several:
            text = ngettext(
                "{count} practice names a partner you are deleting as its source; delete anyway?",
                "{count} practices name partners you are deleting as their source; delete anyway?",
                count,
            )
        else:
            text = ngettext(
                "{count} practice names this partner as its source; delete anyway?",
                "{count} practices name this partner as their source; delete anyway?",
                count,
            )
    elif relations == {("registrations", "forum_id")}:
        if several:
            text = ngettext(
                "{count} registration is for a forum you are deleting; delete anyway?",
                "{count} registrations are for forums you are deleting; delete anyway?",
                count,
            )
        else:
            text = ngettext(
                "{count} registration is for this forum; delete anyway?",
                "{count} registrations are for this forum; delete anyway?",
                count,
            )
    else:
        text = ngettext(
            "{count} other record refers to what you are deleting; delete anyway?",
            "{count} other records refer to what you are deleting; delete anyway?",
            count,
        )
    return text.format(count=count)


def confirm_discard_drafts(parent: QWidget, count: int) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Discard drafts"))
    box.setText(
        ngettext("Discard {count} draft?", "Discard {count} drafts?", count).format(count=count)
    )
    box.setInformativeText(
        ngettext(
            "The unsaved work it holds will be lost for good.",
            "The unsaved work they hold will be lost for good.",
            count,
        )
    )
    discard = box.addButton(_("Discard"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Keep"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def ask_unsaved(parent: QWidget, title: str) -> Unsaved:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(_("“{title}” has unsaved changes.").format(title=title))
    box.setInformativeText(_("Save them before leaving?"))
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return Unsaved.SAVE
    if clicked is discard:
        return Unsaved.DISCARD
    return Unsaved.CANCEL


def show_device_wiped(parent: QWidget, message: str) -> QMessageBox:
    """Say, once and plainly, that a revoked device erased its participants' data (not blocking:
    the window goes on, and the Sync page shows the enrolment form again)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("Access revoked"))
    box.setText(_("This computer's access to the server was revoked."))
    box.setInformativeText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
