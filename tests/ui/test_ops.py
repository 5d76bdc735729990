"""The ops helper: work on the single database worker, results back on the GUI thread."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QWidget

from app.errors import UserError
from app.ui.ops import Runner


def test_async_work_runs_on_the_worker_and_reports_on_the_gui_thread(qtbot):
    runner = Runner()
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def work() -> str:
        seen["worker"] = threading.current_thread().name
        return "done"

    runner.op(parent, work).success(lambda result: seen.update(result=result, gui=QThread.currentThread())).run()
    runner.op(parent, lambda: (_ for _ in ()).throw(UserError("no", "không được"))).failure(
        lambda error: seen.update(error=error.message_vi)).run()
    qtbot.waitUntil(lambda: "error" in seen, timeout=5000)
    assert seen["worker"].startswith("dti-db")
    assert seen["result"] == "done" and seen["gui"] is parent.thread()
    assert seen["error"] == "không được"
    assert not runner.busy()
    runner.shutdown()


def test_synchronous_mode_runs_inline_and_raises_bugs(qtbot):
    runner = Runner(synchronous=True)
    results = []
    runner.op(None, lambda: 2 + 2).success(results.append).run()
    assert results == [4]
    try:
        runner.op(None, lambda: 1 / 0).run()
    except ZeroDivisionError:
        pass
    else:
        raise AssertionError("a bug in synchronous mode must surface in the test")
    runner.shutdown()
