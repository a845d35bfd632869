"""Run core jobs off the GUI thread: one task at a time, progress throttled, cancel as a flag.

A job is a plain function `work(progress, cancelled) -> result` from app.io/app.core. It never
touches a widget; its results and progress reach the GUI thread through queued signals. Starting
a new task cancels the previous one and its late results are dropped (Orange's and Anki's pattern).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from app.io.delimited import FileReadError

Work = Callable[[Callable[[str, int, int], None], Callable[[], bool]], Any]
PROGRESS_INTERVAL = 0.1  # seconds between two progress signals


class TaskCancelled(Exception):
    """Raised inside a job when its cancel flag is seen."""


class _Signals(QObject):
    progress_changed = Signal(int, str, int, int)  # task id, stage, done, total
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)


class _Job(QRunnable):
    def __init__(self, task_id: int, work: Work, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.task_id = task_id
        self.work = work
        self.signals = signals
        self.stop = threading.Event()
        self.done = threading.Event()
        self._last_progress = 0.0

    def _progress(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL:
            self._last_progress = now
            self.signals.progress_changed.emit(self.task_id, stage, done, total)
        if self.stop.is_set():
            raise TaskCancelled

    def run(self) -> None:
        try:
            result = self.work(self._progress, self.stop.is_set)
            if self.stop.is_set():
                self.signals.cancelled.emit(self.task_id)
            else:
                self.signals.finished.emit(self.task_id, result)
        except TaskCancelled:
            self.signals.cancelled.emit(self.task_id)
        except FileReadError as exc:
            if self.stop.is_set():
                self.signals.cancelled.emit(self.task_id)
            else:
                self.signals.failed.emit(self.task_id, str(exc))
        except Exception as exc:  # a bug: say so plainly, keep the details for a report
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            traceback.print_exc()
            self.signals.failed.emit(self.task_id, f"Something went wrong: {detail}")
        finally:
            self.done.set()


class TaskRunner(QObject):
    """Runs one job at a time on a private thread pool and reports on the GUI thread."""

    started = Signal(str)  # the task's title
    progress_changed = Signal(str, int, int)
    finished = Signal(str, object)  # title, result
    failed = Signal(str, str)  # title, message
    cancelled = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # a cancelled job may still be winding down
        self._signals = _Signals()
        self._signals.progress_changed.connect(self._on_job_progress)
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._signals.cancelled.connect(self._on_job_cancelled)
        self._next_id = 0
        self._job: _Job | None = None
        self._title = ""

    @property
    def busy(self) -> bool:
        return self._job is not None

    @property
    def title(self) -> str:
        return self._title

    def start(self, title: str, work: Work) -> None:
        self.cancel()
        self._next_id += 1
        self._title = title
        self._job = _Job(self._next_id, work, self._signals)
        self.started.emit(title)
        self._pool.start(self._job)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.stop.set()
            job, self._job = self._job, None
            if job.done.is_set():
                return
            self.cancelled.emit(self._title)

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every job has ended (used when the window closes)."""
        return self._pool.waitForDone(timeout_ms)

    def _current(self, task_id: int) -> bool:
        return self._job is not None and self._job.task_id == task_id

    def _on_job_progress(self, task_id: int, stage: str, done: int, total: int) -> None:
        if self._current(task_id):
            self.progress_changed.emit(stage, done, total)

    def _on_job_finished(self, task_id: int, result: object) -> None:
        if self._current(task_id):
            self._job = None
            self.finished.emit(self._title, result)

    def _on_job_failed(self, task_id: int, message: str) -> None:
        if self._current(task_id):
            self._job = None
            self.failed.emit(self._title, message)

    def _on_job_cancelled(self, task_id: int) -> None:
        if self._current(task_id):
            self._job = None
            self.cancelled.emit(self._title)
