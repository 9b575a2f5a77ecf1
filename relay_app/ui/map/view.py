"""The zoomable, pannable world: countries as the view's cached background, markers on one layer.

Mouse: drag to pan, wheel to zoom around the cursor. Touchpad: two-finger scroll pans, pinch
zooms (a native gesture). Keyboard: + / - zoom, arrows pan, 0 or Home shows the whole world; a
key's step glides over 120 ms rather than jumping, and keys pressed during a glide add up.
A click (a press and release without a drag) on a marker emits ``marker_clicked``; a right click
emits ``point_chosen`` with the place's latitude and longitude.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QAbstractAnimation,
    QEasingCurve,
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    QVariantAnimation,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QNativeGestureEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QStyleOptionGraphicsItem, QWidget

from relay_app.geo.clustering import MAX_LEVEL, Cluster, level_for_scale
from relay_app.geo.content import MapContent
from relay_app.geo.projection import HALF_HEIGHT, HALF_WIDTH, PLANE_HEIGHT, PLANE_WIDTH, project, unproject
from relay_app.ui.map.painting import draw_country_names, draw_markers, draw_world, marker_radius

WORLD = QRectF(-HALF_WIDTH, -HALF_HEIGHT, PLANE_WIDTH, PLANE_HEIGHT)
ZOOM_STEP = 1.25  # one key press
GLIDE_MS = 120  # a key's zoom or move is drawn over a few frames
WHEEL_BASE = 1.0015  # per 1/8 degree of wheel turn: a notch (120) zooms by 1.2
MAX_SCALE = 2.0 ** (MAX_LEVEL + 2)
PAN_FRACTION = 0.15
CLICK_SLOP = 4  # pixels a press may move and still be a click


class MarkerLayer(QGraphicsItem):
    """Every marker of the current zoom level, painted in one pass (no item per record)."""

    def __init__(self) -> None:
        super().__init__()
        self.content: MapContent | None = None
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.drawn: list[Cluster] = []  # what the last paint showed, for tests and hit checks

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt's name)
        return WORLD.adjusted(-60, -60, 60, 60)

    def set_content(self, content: MapContent | None) -> None:
        self.content = content
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        content = self.content
        if content is None:
            self.drawn = []
            return
        transform = painter.worldTransform()
        scale = transform.m11()
        exposed = option.exposedRect  # type: ignore[attr-defined]
        level = level_for_scale(scale)
        margin = 24.0 / scale
        clusters = content.index.visible(level, exposed.left(), exposed.top(), exposed.right(),
                                         exposed.bottom(), margin)
        self.drawn = clusters
        draw_markers(painter, clusters, transform, content.colours(), content.highlighted)


class MapView(QGraphicsView):
    marker_clicked = Signal(object)  # the Cluster under the click
    point_chosen = Signal(float, float)  # latitude, longitude of a right click
    pointer_moved = Signal(float, float)  # the plane point under the mouse, without a button held
    zoomed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        scene = QGraphicsScene(WORLD.adjusted(-WORLD.width(), -WORLD.height(), WORLD.width(), WORLD.height()))
        super().__init__(scene, parent)
        scene.setParent(self)  # the view does not own its scene; its markers die with it else
        self.markers = MarkerLayer()
        scene.addItem(self.markers)
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self._press: QPoint | None = None
        self._fitted = False
        self._applying = False
        self._centre = QPointF(0.0, 0.0)  # the scene point at the viewport's middle, exactly
        self.glide = QVariantAnimation(self)
        self.glide.setDuration(GLIDE_MS)
        self.glide.setStartValue(0.0)
        self.glide.setEndValue(1.0)
        self.glide.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.glide.valueChanged.connect(self._glide_step)
        self._glide_from: tuple[float, QPointF] = (1.0, QPointF())
        self._glide_to: tuple[float, QPointF] = (1.0, QPointF())

    # -- content -----------------------------------------------------------------------------------

    def set_content(self, content: MapContent | None) -> None:
        self.markers.set_content(content)

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt's name)
        painter.fillRect(rect, self.palette().base())
        draw_world(painter, rect)
        draw_country_names(painter, rect)

    # -- zoom and pan ------------------------------------------------------------------------------

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    @property
    def level(self) -> int:
        return level_for_scale(self.scale_factor)

    def fit_scale(self) -> float:
        size = self.viewport().size()
        return max(1e-3, min(size.width() / WORLD.width(), size.height() / WORLD.height()))

    def reset_view(self) -> None:
        """The whole world, centred."""
        self.glide.stop()
        self._apply(self.fit_scale(), WORLD.center())
        self._fitted = True

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the place under ``anchor`` (viewport pixels) where it is."""
        self.glide.stop()
        current = self.scale_factor
        target = min(MAX_SCALE, max(self.fit_scale(), current * factor))
        if math.isclose(target, current):
            return
        middle = self._middle()
        offset = (anchor if anchor is not None else middle) - middle
        place = self._centre + offset / current
        self._apply(target, place - offset / target)
        self._fitted = False

    def pan_by(self, dx_pixels: float, dy_pixels: float) -> None:
        self.glide.stop()
        scale = self.scale_factor
        self._apply(scale, self._centre + QPointF(dx_pixels / scale, dy_pixels / scale))
        self._fitted = False

    def center_on_place(self, latitude: float, longitude: float, scale: float | None = None) -> None:
        self._apply(scale or self.scale_factor, QPointF(*project(longitude, latitude)))
        self._fitted = False

    def _middle(self) -> QPointF:
        return QPointF(self.viewport().width() / 2.0, self.viewport().height() / 2.0)

    def _apply(self, scale: float, centre: QPointF) -> None:
        """Scale and centre from exact numbers kept here: the scroll bars count whole pixels, and
        zooming around the cursor from their rounded values would drift a little at every step."""
        self._applying = True
        try:
            self.setTransform(QTransform().scale(scale, scale))
            self.centerOn(centre)
        finally:
            self._applying = False
        self._centre = QPointF(centre)
        self.zoomed.emit()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802
        super().scrollContentsBy(dx, dy)
        if not self._applying:  # a drag moved the map: take its centre as the new exact one
            self._centre = self.mapToScene(self.viewport().rect()).boundingRect().center()

    # -- events ------------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fitted or self.scale_factor < self.fit_scale():
            self.reset_view()
        else:
            self._apply(self.scale_factor, self._centre)

    def showEvent(self, event: QEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._fitted and self.scale_factor == 1.0:
            self.reset_view()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        pixels = event.pixelDelta()
        if not pixels.isNull() and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.pan_by(-pixels.x(), -pixels.y())  # a touchpad's two-finger scroll moves the map
        else:
            steps = event.angleDelta().y() or event.angleDelta().x()
            self.zoom_by(WHEEL_BASE ** steps, event.position())
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        # A touchpad's pinch arrives at the viewport as a native zoom gesture (macOS, Wayland).
        if isinstance(event, QNativeGestureEvent) and (
            event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture
        ):
            self.zoom_by(1.0 + event.value(), event.position())
            return True
        return super().viewportEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        step_x = self.viewport().width() * PAN_FRACTION
        step_y = self.viewport().height() * PAN_FRACTION
        scale, centre = self._heading()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self._glide(min(MAX_SCALE, scale * ZOOM_STEP), centre)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self._glide(max(self.fit_scale(), scale / ZOOM_STEP), centre)
        elif key in (Qt.Key.Key_0, Qt.Key.Key_Home):
            self._glide(self.fit_scale(), WORLD.center())
            self._fitted = True
            return
        elif key == Qt.Key.Key_Left:
            self._glide(scale, centre + QPointF(-step_x / scale, 0))
        elif key == Qt.Key.Key_Right:
            self._glide(scale, centre + QPointF(step_x / scale, 0))
        elif key == Qt.Key.Key_Up:
            self._glide(scale, centre + QPointF(0, -step_y / scale))
        elif key == Qt.Key.Key_Down:
            self._glide(scale, centre + QPointF(0, step_y / scale))
        else:
            super().keyPressEvent(event)
            return
        self._fitted = False

    # -- keyboard moves glide ----------------------------------------------------------------------

    @property
    def gliding(self) -> bool:
        return self.glide.state() == QAbstractAnimation.State.Running

    def _heading(self) -> tuple[float, QPointF]:
        """Where the map is going: a key pressed during a glide adds to its end, not its middle."""
        if self.gliding:
            return self._glide_to
        return self.scale_factor, QPointF(self._centre)

    def _glide(self, scale: float, centre: QPointF) -> None:
        """Move to ``scale`` and ``centre`` over a few frames (a key's step), not in one jump."""
        self.glide.stop()
        if not self.isVisible() or GLIDE_MS <= 0:
            self._apply(scale, centre)
            return
        self._glide_from = (self.scale_factor, QPointF(self._centre))
        self._glide_to = (scale, QPointF(centre))
        self.glide.start()

    def _glide_step(self, value: object) -> None:
        progress = float(value)  # type: ignore[arg-type]
        (start_scale, start_centre), (end_scale, end_centre) = self._glide_from, self._glide_to
        # The scale moves geometrically, so each frame zooms by the same ratio.
        scale = start_scale * (end_scale / start_scale) ** progress
        self._apply(scale, start_centre + (end_centre - start_centre) * progress)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.glide.stop()  # the hand takes over from a key's glide
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if event.buttons() == Qt.MouseButton.NoButton:
            scene = self.mapToScene(event.position().toPoint())
            self.pointer_moved.emit(scene.x(), scene.y())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        if press is None:
            return
        released = event.position().toPoint()
        if (released - press).manhattanLength() > CLICK_SLOP:
            return  # a drag: the map moved
        if event.button() == Qt.MouseButton.RightButton:
            self._choose_point(released)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            cluster = self.marker_at(released)
            if cluster is not None:
                self.marker_clicked.emit(cluster)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        # The mouse's right click is taken on release above; the keyboard's menu key asks about
        # the place in the middle of the map.
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self._choose_point(self.viewport().rect().center())
        event.accept()

    def _choose_point(self, position: QPoint) -> None:
        scene = self.mapToScene(position)
        place = unproject(scene.x(), scene.y())
        if place is not None:
            self.point_chosen.emit(place[1], place[0])

    def marker_at(self, position: QPoint) -> Cluster | None:
        content = self.markers.content
        if content is None:
            return None
        scene = self.mapToScene(position)
        scale = self.scale_factor
        level = self.level
        # The largest marker's radius bounds the search; the nearest centre within its own wins.
        found = content.index.hit(level, scene.x(), scene.y(), 22.0 / scale)
        if found is None:
            return None
        dx, dy = (found.x - scene.x()) * scale, (found.y - scene.y()) * scale
        return found if dx * dx + dy * dy <= (marker_radius(found.count) + 2) ** 2 else None

    def device_position(self, x: float, y: float) -> QPoint:
        """Where a plane point is in the viewport (pixels): what a test clicks."""
        return self.mapFromScene(QPointF(x, y))
