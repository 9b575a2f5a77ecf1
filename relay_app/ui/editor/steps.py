"""An ordered, re-orderable list of short texts (a practice's tutorial steps).

Steps are edited in place (F2 or double-click), moved with the buttons, Alt+Up/Alt+Down or by
dragging, so the order can be fixed without retyping.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from relay_app.i18n import _


class StepsInput(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.list = QListWidget()
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.list.setMaximumHeight(130)
        # A long step wraps: in a narrow editor the list must not scroll sideways either.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.model().rowsMoved.connect(lambda *_args: self.changed.emit())
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton()
        self.remove_button = QPushButton()
        self.up_button = QPushButton()
        self.down_button = QPushButton()
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        self.list.installEventFilter(self)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.retranslate_ui()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Alt+Up/Alt+Down move the current step; plain arrows keep moving the cursor.
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.modifiers() & Qt.KeyboardModifier.AltModifier:
                offsets = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
                offset = offsets.get(Qt.Key(event.key()))
                if offset is not None:
                    self.move_step(offset)
                    return True
        return super().eventFilter(watched, event)

    def retranslate_ui(self) -> None:
        self.add_button.setText(_("Add step"))
        self.remove_button.setText(_("Remove step"))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.up_button.setToolTip(_("Move the selected step up (Alt+Up)"))
        self.down_button.setToolTip(_("Move the selected step down (Alt+Down)"))

    def items(self) -> list[str]:
        texts = (self.list.item(row).text().strip() for row in range(self.list.count()))
        return [text for text in texts if text]

    def set_items(self, steps: list[str]) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for step in steps:
            self.list.addItem(self._item(step))
        self.list.blockSignals(False)
        self.changed.emit()

    @staticmethod
    def _item(text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def add_step(self) -> None:
        item = self._item("")
        self.list.addItem(item)
        self.list.setCurrentItem(item)
        self.list.setFocus()
        self.list.editItem(item)

    def remove_step(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)
            self.changed.emit()

    def move_step(self, offset: int) -> None:
        row = self.list.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self.changed.emit()
