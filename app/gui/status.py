"""The status bar: a message, and a progress bar with Cancel shown once work takes over ~0.5 s."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from app.gui.tasks import TaskRunner

SHOW_AFTER_MS = 500


class StatusArea:
    def __init__(self, bar: QStatusBar, runner: TaskRunner) -> None:
        self.bar = bar
        self.runner = runner
        self.message = QLabel()
        self.message.setObjectName("statusMessage")
        self.progress = QProgressBar()
        self.progress.setObjectName("progressBar")
        self.progress.setMaximumWidth(260)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(runner.cancel)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._timer = QTimer(bar, singleShot=True, interval=SHOW_AFTER_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        runner.started.connect(self._on_runner_started)
        runner.progress_changed.connect(self._on_runner_progress)
        for signal in (runner.finished, runner.failed, runner.cancelled):
            signal.connect(self._on_runner_ended)
        self._set_busy_visible(False)

    def show_message(self, text: str) -> None:
        self.message.setText(text)

    def _set_busy_visible(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.cancel_button.setVisible(visible)

    def _on_runner_started(self, title: str) -> None:
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setFormat(title)
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        if self.runner.busy:
            self._set_busy_visible(True)

    def _on_runner_progress(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)
        self.message.setText(stage + "…")

    def _on_runner_ended(self, *_: object) -> None:
        self._timer.stop()
        self._set_busy_visible(False)
