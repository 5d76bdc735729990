"""Runs one command: data directory, logging, and the one-line-reason rule for every failure."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from app.errors import UserError


class _LazyFileHandler(logging.Handler):
    """Libraries' log output goes to <data>/logs/dti.log, never to the terminal; the folder and file are
    created only when something is actually logged."""

    def __init__(self, path: Path):
        super().__init__(logging.WARNING)
        self.path = path
        self._inner: logging.FileHandler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._inner is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._inner = logging.FileHandler(self.path, encoding="utf-8")
                self._inner.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
            self._inner.emit(record)
        except OSError:
            pass  # a log that cannot be written must not fail the command


def run_handler(args: argparse.Namespace) -> int:
    from app.frameworks.schema import FrameworkInvalid
    from app.services.datadir import resolve_data_dir

    args.data_path = resolve_data_dir(args.data_dir)
    log_path = args.data_path / "logs" / "dti.log"
    root = logging.getLogger()
    root.handlers[:] = [_LazyFileHandler(log_path)]
    root.setLevel(logging.WARNING)
    logging.captureWarnings(True)
    vi = args.lang == "vi"
    try:
        return int(args.handler(args) or 0)
    except UserError as e:
        _fail(e.message_vi if vi else str(e))
    except FrameworkInvalid as e:
        _fail("Bộ chỉ số không hợp lệ: " + e.message_vi if vi else "invalid framework: " + str(e))
    except KeyboardInterrupt:
        _fail("đã dừng" if vi else "interrupted")
    except BrokenPipeError:
        return 1
    except Exception as e:  # a bug: one line for the person, the traceback for the developers
        logging.getLogger("dti").error("unexpected error\n%s", traceback.format_exc())
        what = f"{type(e).__name__}: {e}"
        _fail(f"lỗi chương trình ({what}); chi tiết trong {log_path}" if vi
               else f"internal error ({what}); details in {log_path}")
    return 1


def _fail(line: str) -> None:
    """One line: white space folded, and control characters that a name from outside may carry (ESC, BEL)
    shown escaped, never sent to the terminal."""
    from app.services.identifiers import printable

    print(f"dti: {printable(' '.join(line.split()), 100_000)}", file=sys.stderr)
