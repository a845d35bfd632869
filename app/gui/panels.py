"""The window's parts: the empty-state drop zone, the counters, sender problems and row details."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.decide import Outcome
from app.core.incidents import Incident
from app.core.review import BounceDetail
from app.core.taxonomy import Action, taxonomy
from app.gui.look import (
    ACTION_HINTS,
    ACTION_STRONG,
    ACTION_TEXT,
    ACTION_TINTS,
    action_icon,
    icon,
)


class DropZone(QFrame):
    """The empty state: what to do, in one sentence, and two ways to start."""

    open_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setStyleSheet(
            "#dropZone { border: 2px dashed #a5b4fc; border-radius: 16px; background: #f8faff; }"
            "#dropZone QLabel { background: transparent; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(2)
        picture = QLabel()
        picture.setPixmap(icon("drop").pixmap(QSize(88, 88)))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        title = QLabel("Drop your contact list and bounce reports here")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 20pt; font-weight: 600; color: #1e293b;")
        title.setWordWrap(True)
        layout.addWidget(title)
        hint = QLabel(
            "CSV or Excel files as your email service exports them, or the bounce e-mails "
            "themselves (.eml, .msg, .mbox, a mail folder). Bounce Cleaner tells you, "
            "address by address, what to remove, what to retry, and what points at a problem "
            "with your own sending. Your files are never changed."
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setStyleSheet("font-size: 11pt; color: #475569;")
        hint.setFixedWidth(620)
        hint.setMinimumHeight(hint.heightForWidth(620))
        centred = QHBoxLayout()
        centred.addStretch()
        centred.addWidget(hint)
        centred.addStretch()
        layout.addLayout(centred)
        layout.addSpacing(18)
        buttons = QHBoxLayout()
        buttons.addStretch()
        self.open_button = QPushButton("Open files…")
        self.open_button.setDefault(True)
        self.open_button.setMinimumHeight(34)
        self.open_button.clicked.connect(self.open_requested)
        self.sample_button = QPushButton("Try it with sample data")
        self.sample_button.setMinimumHeight(34)
        self.sample_button.clicked.connect(self.sample_requested)
        buttons.addWidget(self.open_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.sample_button)
        buttons.addStretch()
        layout.addLayout(buttons)
        self.errors = QLabel()
        self.errors.setObjectName("dropZoneErrors")
        self.errors.setWordWrap(True)
        self.errors.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.errors.setStyleSheet("color: #991b1b; font-size: 10pt;")
        self.errors.hide()
        layout.addSpacing(12)
        layout.addWidget(self.errors)
        layout.addStretch(3)

    def show_errors(self, errors: list[str]) -> None:
        """Files that could not be read when nothing else is open: said here, in plain words."""
        self.errors.setText("\n".join(plain_error(e) for e in errors))
        self.errors.setVisible(bool(errors))


def plain_error(message: str) -> str:
    """A reader's message ("x.xlsx: not a readable spreadsheet (…zip…)") in plain words."""
    name, _, problem = message.partition(": ")
    if not problem:
        return message
    detail = problem.split(" (", 1)[0]
    return f"{name} could not be opened: {detail}. It may be damaged or not a list or report."


class CounterButton(QToolButton):
    """A count per action that is also a filter toggle."""

    def __init__(self, action: Action, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.setObjectName(f"{action.value}Count")
        self.setCheckable(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(action_icon(action))
        self.setIconSize(QSize(22, 22))
        self.setMinimumHeight(52)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(f"{ACTION_HINTS[action]}. Click to show only these rows.")
        strong = ACTION_STRONG[action]
        checked_fill = ACTION_TINTS[action] if action is not Action.KEEP else "#ecfdf3"
        self.setStyleSheet(
            f"QToolButton {{ border: 1px solid #d4d4d8; border-left: 5px solid {strong};"
            " border-radius: 6px; padding: 4px 8px; background: white; font-size: 10pt;"
            " text-align: left; }"
            f"QToolButton:checked {{ background: {checked_fill};"
            f" border: 2px solid {strong}; border-left: 5px solid {strong}; }}"
            "QToolButton:hover { background: #f4f4f5; }"
        )
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.setText(f"{count}\n{self.action.value.capitalize()}")
        self.setAccessibleName(f"{self.action.value.capitalize()}: {count} rows")


class IncidentPanel(QTextBrowser):
    """Sender problems: what went wrong with the user's own sending, and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentPanel")
        self.setOpenExternalLinks(False)
        self.show_incidents([], bounces_loaded=False)

    def show_incidents(self, incidents: list[Incident], bounces_loaded: bool = True) -> None:
        if not bounces_loaded:
            self.setHtml(
                "<p style='color:#475569'><b>No bounce report loaded yet.</b> Add the bounce "
                "export of your email service, or the bounce e-mails themselves, to see which "
                "addresses to remove and whether anything points at your sending.</p>"
            )
            return
        if not incidents:
            self.setHtml(
                "<p style='color:#15803d'><b>No sender problems found.</b> None of these bounces "
                "points at your own sending.</p>"
            )
            return
        labels = taxonomy()
        parts = [
            "<p style='color:#1e3a8a'><b>Look into these before removing anything.</b> Most "
            "point at your sending (block lists, authentication, content), not at the "
            "recipients.</p>"
        ]
        advised: set[str] = set()
        for incident in incidents[:12]:
            advice = incident.advice if incident.advice not in advised else ""
            advised.add(incident.advice)
            what_to_do = (
                f"<br><span style='color:#475569'><i>What to do:</i> {escape(advice)}</span>"
                if advice
                else ""
            )
            label = labels[incident.reason].label if incident.reason in labels else ""
            plural = "es" if incident.addresses != 1 else ""
            parts.append(
                "<p style='margin-top:8px'>"
                f"<b>{escape(incident.provider)}</b> — {escape(label)} · "
                f"{incident.addresses} address{plural}<br>"
                f"{escape(incident.summary.split(' — ', 1)[-1])}{what_to_do}</p>"
            )
        if len(incidents) > 12:
            parts.append(f"<p>…and {len(incidents) - 12} smaller groups (see the report).</p>")
        self.setHtml("".join(parts))
        # the range grows after layout: repaint the scroll bar then (else a stale, dark handle)
        QTimer.singleShot(0, self.verticalScrollBar().update)


_ACTION_WORDS = {
    Action.REMOVE: "Remove this address",
    Action.RETRY: "Retry later",
    Action.INVESTIGATE: "Look into this — don't remove yet",
    Action.KEEP: "Keep",
}
# Investigate reasons that are about the user's own sending: said so outright.
_SENDER_SIDE = {"blocked", "auth_failed", "content_rejected", "rate_limited", "relay_denied"}


def details_html(
    email: str, outcome: Outcome, original: Outcome, bounces: list[BounceDetail], suggestion: str
) -> str:
    """The selected row explained: verdict, reason, advice, then every bounce in full."""
    reasons = taxonomy()
    action = outcome.action
    colour = ACTION_TEXT[action]
    headline = _ACTION_WORDS[action]
    if action is Action.INVESTIGATE and original.reason in _SENDER_SIDE:
        headline = "Check your sending — don't remove"
    parts = [
        f"<h3 style='margin-bottom:2px'>{escape(email) or '(empty address)'}</h3>",
        f"<p style='font-size:13pt; color:{colour}; margin:4px 0'><b>{headline}</b></p>",
    ]
    if outcome is not original:
        parts.append(
            f"<p style='color:#6b21a8'>You changed this from "
            f"“{original.action.value.capitalize()}”. Undo with Ctrl+Z.</p>"
        )
    parts.append(f"<p>{escape(original.explanation)}</p>")
    if suggestion:
        parts.append(
            f"<p>Did you mean <b>{escape(suggestion)}</b>? (Your list is not changed.)</p>"
        )
    reason = reasons.get(original.reason) if original.reason else None
    if reason is not None:
        parts.append(
            f"<p><b>Reason:</b> {escape(reason.label)}<br>"
            f"<b>What to do:</b> {escape(reason.advice)}</p>"
        )
    if original.rule_id:
        parts.append(
            f"<p style='color:#64748b; font-size:9pt'>Rule: {escape(original.rule_id)}</p>"
        )
    if bounces:
        parts.append(f"<h4>{len(bounces)} bounce{'s' if len(bounces) != 1 else ''}</h4>")
        for b in bounces:
            codes = " ".join(c for c in (b.smtp_code, b.enhanced_status) if c) or "no code"
            when = b.day.isoformat() if b.day else "no date"
            label = reasons[b.reason].label if b.reason in reasons else b.reason
            parts.append(
                "<p style='margin:6px 0'>"
                f"<b>{when}</b> · {escape(b.report)}"
                f"{'' if '›' in b.report else f', data row {b.row}'} · {escape(codes)} · "
                f"{escape(label)}<br>"
                f"<span style='font-family:monospace; color:#334155'>"
                f"{escape(b.diagnostic) or '(no diagnostic text)'}</span></p>"
            )

    return "".join(parts)


class DetailsPanel(QWidget):
    """The selected row: the browser (objectName detailsPanel) and the override buttons."""

    override_requested = Signal(object)  # an Action, or None for "use the app's verdict"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.browser = QTextBrowser()
        self.browser.setObjectName("detailsPanel")
        self.browser.setOpenExternalLinks(False)
        layout.addWidget(self.browser, 1)
        layout.addWidget(QLabel("Change the selected rows to:"))
        bar = QGridLayout()
        self.buttons: dict[Action | None, QPushButton] = {}
        for n, action in enumerate((Action.REMOVE, Action.RETRY, Action.INVESTIGATE, Action.KEEP)):
            button = QPushButton(action_icon(action), action.value.capitalize())
            button.setToolTip(f"Mark the selected rows “{action.value}” (undo with Ctrl+Z)")
            button.clicked.connect(lambda _=False, a=action: self.override_requested.emit(a))
            self.buttons[action] = button
            bar.addWidget(button, n // 3, n % 3)
        reset = QPushButton("Undo my change")
        reset.setToolTip("Back to Bounce Cleaner's own suggestion for the selected rows")
        reset.clicked.connect(lambda _=False: self.override_requested.emit(None))
        self.buttons[None] = reset
        bar.addWidget(reset, 1, 1, 1, 2)
        bar.setColumnStretch(3, 1)
        layout.addLayout(bar)
        self.show_nothing()

    def show_nothing(self) -> None:
        self.browser.setHtml(
            "<p style='color:#64748b'>Click an address to see why, what the bounce said, and "
            "what to do.</p>"
        )
        for button in self.buttons.values():
            button.setEnabled(False)

    def show_html(self, html: str) -> None:
        self.browser.setHtml(html)
        for button in self.buttons.values():
            button.setEnabled(True)
