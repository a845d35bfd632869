"""Colours, icons and small painted widgets shared by the window (one place for the look)."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.core.resources import resource_path
from app.core.review import Review
from app.core.taxonomy import Action, taxonomy

# Row tints: the same light fills as the XLSX report; the action is always written out as well.
ACTION_TINTS = {
    Action.REMOVE: "#FBE3E4",
    Action.RETRY: "#FFF4D6",
    Action.INVESTIGATE: "#DEEAF8",
    Action.KEEP: "#FFFFFF",
}
ACTION_STRONG = {
    Action.REMOVE: "#dc2626",
    Action.RETRY: "#d97706",
    Action.INVESTIGATE: "#2563eb",
    Action.KEEP: "#16a34a",
}
# Text in these colours (headings): darker shades that reach 4.5:1 contrast on white.
ACTION_TEXT = {
    Action.REMOVE: "#b91c1c",
    Action.RETRY: "#b45309",
    Action.INVESTIGATE: "#1d4ed8",
    Action.KEEP: "#15803d",
}
ACTION_HINTS = {
    Action.REMOVE: "Dead addresses: sending again harms your reputation",
    Action.RETRY: "Temporary problems: send again later",
    Action.INVESTIGATE: "Look into these before removing anything: most point at your sending",
    Action.KEEP: "No problem found: keep sending",
}


@cache
def icon(name: str) -> QIcon:
    return QIcon(str(resource_path("icons") / f"{name}.svg"))


def action_icon(action: Action) -> QIcon:
    return icon(action.value)


class ReasonChart(QWidget):
    """Horizontal bars for the most common reasons (painted: no chart library needed)."""

    MAX_BARS = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[tuple[str, int, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("The most common reasons in this list")
        self.set_bars([])  # a fixed, small height from the start (not Qt's default 480 px)

    def set_bars(self, bars: list[tuple[str, int, str]]) -> None:
        """(label, count, colour), largest first."""
        self._bars = bars[: self.MAX_BARS]
        self.setFixedHeight(max(1, len(self._bars)) * 20 + 6)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, self.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._bars:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        painter.setFont(font)
        metrics = painter.fontMetrics()
        widest = max(metrics.horizontalAdvance(b[0]) for b in self._bars) + 12
        label_width = min(widest, max(140, int(self.width() * 0.5)))
        count_width = metrics.horizontalAdvance("0000000") + 8
        most = max(b[1] for b in self._bars) or 1
        room = max(10, self.width() - label_width - count_width - 8)
        for n, (label, count, colour) in enumerate(self._bars):
            top = 3 + n * 20
            painter.setPen(self.palette().text().color())
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 12)
            painter.drawText(
                QRectF(0, top, label_width - 8, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
            width = max(2.0, room * count / most)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(colour))
            painter.drawRoundedRect(QRectF(label_width, top + 3, width, 12), 3, 3)
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(label_width + width + 6, top, count_width, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                str(count),
            )
        painter.end()


def reason_bars(review: Review) -> list[tuple[str, int, str]]:
    """The chart's bars: reason label, rows, the colour of its action."""
    labels = taxonomy()
    return [
        (labels[reason].label if reason in labels else reason, count, ACTION_STRONG[action])
        for reason, count, action in review.reason_counts()
    ]
