"""Keys and wheel turns delivered where Qt delivers a person's, so shortcuts and popups see them.

``QTest.keyClick`` on the widget a real key would reach runs Qt's shortcut matching first, as
for a keyboard. A wheel event an application sends is handled by the one widget it is sent to,
while a real one is passed up to the parents until one takes it (and gives focus to a widget
that takes focus by wheel on the way): ``turn_wheel`` does what ``QApplication::notify`` does
for a real wheel, with events sent by ``QApplication.sendEvent``.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

NOTCH = 120  # one step of a common mouse wheel, in eighths of a degree


def activate(window: QWidget, qtbot: QtBot) -> None:
    """Shortcuts only reach the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def key_target() -> QWidget:
    """Where a person's key goes: a keyboard grab, else an open popup, else the focus widget."""
    grabber = QWidget.keyboardGrabber()
    if grabber is not None:
        return grabber
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup.focusWidget() or popup
    focused = QApplication.focusWidget()
    assert focused is not None, "no widget has the keyboard focus"
    return focused


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(key_target(), key, modifier)


def type_keys(text: str) -> None:
    """Type ASCII ``text`` key by key into whatever has the focus."""
    for char in text:
        QTest.keyClicks(key_target(), char)


def _give_wheel_focus(widget: QWidget, position: QPoint) -> None:
    """As Qt does before a real wheel event: focus the first widget up that takes it by wheel."""
    current: QWidget | None = widget
    while current is not None:
        proxy = current.focusProxy() or current
        takes_wheel = all(
            w.focusPolicy() & Qt.FocusPolicy.WheelFocus == Qt.FocusPolicy.WheelFocus
            for w in (current, proxy)
        )
        if current.isEnabled() and current.rect().contains(position) and takes_wheel:
            current.setFocus(Qt.FocusReason.MouseFocusReason)
            return
        if current.isWindow() or proxy.hasFocus():
            return
        position = position + current.pos()
        current = current.parentWidget()


def turn_wheel(over: QWidget, notches: int) -> QWidget:
    """Turn the wheel ``notches`` steps (positive: down the page) with the cursor over ``over``.

    No click comes first. Returns the widget under the cursor, the one the events went to.
    """
    window = over.window()
    global_position = over.mapToGlobal(over.rect().center())
    under = window.childAt(window.mapFromGlobal(global_position)) or window
    step = -NOTCH if notches > 0 else NOTCH
    for _notch in range(abs(notches)):
        _give_wheel_focus(under, under.mapFromGlobal(global_position))
        receiver: QWidget | None = under
        while receiver is not None:
            event = QWheelEvent(
                QPointF(receiver.mapFromGlobal(global_position)),
                QPointF(global_position),
                QPoint(),
                QPoint(0, step),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            )
            QApplication.sendEvent(receiver, event)
            if event.isAccepted() or receiver.isWindow():
                break
            if receiver.testAttribute(Qt.WidgetAttribute.WA_NoMousePropagation):
                break
            receiver = receiver.parentWidget()
    return under
