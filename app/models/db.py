"""Opening an installation's store: SQLite in WAL mode with synchronous=FULL and foreign keys, one
writer at a time (a lock file), schema migrations with a backup first, and a clear refusal of a data
directory written by a newer version.

Alembic is imported only when a migration is actually due: the revision is read with the standard
library first, because importing Alembic costs about a second on a slow office PC.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from app.errors import UserError

DB_NAME = "dti.sqlite3"
LOCK_NAME = "dti.lock"
# Every released schema revision, oldest first. A test checks this against the Alembic scripts.
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD = KNOWN_REVISIONS[-1]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreInUse(UserError):
    def __init__(self, data_dir: Path):
        super().__init__(f"the data directory {data_dir} is in use by another dti program (close it and retry)",
                         f"thư mục dữ liệu {data_dir} đang được một chương trình dti khác sử dụng "
                         "(hãy đóng chương trình đó rồi thử lại)")


class StoreTooNew(UserError):
    def __init__(self, data_dir: Path, revision: str):
        super().__init__(f"the data directory {data_dir} was written by a newer version of dti (schema {revision});"
                         " install that version or newer",
                         f"thư mục dữ liệu {data_dir} do phiên bản dti mới hơn ghi (lược đồ {revision}); "
                         "hãy cài phiên bản đó hoặc mới hơn")


class WriterLock:
    """An exclusive, non-blocking lock on <data>/dti.lock held while a process may write."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.path = data_dir / LOCK_NAME
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if os.name == "nt":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise StoreInUse(self.data_dir) from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the descriptor releases flock / msvcrt locks
            self._handle = None


def stored_revision(db_path: Path) -> str | None:
    """The schema revision of an existing store, or None for a new (or empty) one."""
    if not db_path.exists():
        return None
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as e:
        if "no such table" in str(e):
            return None
        raise UserError(f"{db_path} is not a readable dti store: {e}",
                        f"{db_path} không phải kho dữ liệu dti đọc được: {e}") from None
    finally:
        con.close()
    return row[0] if row else None


def peek(data_dir: Path, *queries: str) -> bool:
    """Whether any of `queries` returns a row, read with sqlite3 read-only: no writer lock, no SQLAlchemy,
    no migration, about a millisecond (what the GUI asks at every start, before it opens the store for the
    window it chooses). False when there is no store (a look must not create one), when it cannot be read,
    and for a query on a table an older schema does not have yet."""
    db_path = Path(data_dir) / DB_NAME
    if not db_path.is_file():
        return False
    try:
        con = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, OSError):
        return False
    try:
        for query in queries:
            try:
                if con.execute(query).fetchone() is not None:
                    return True
            except sqlite3.OperationalError:   # no such table (yet)
                continue
        return False
    except sqlite3.Error:   # not a dti store
        return False
    finally:
        con.close()


def backup(db_path: Path, backups: Path, label: str) -> Path:
    """A consistent copy through SQLite's backup API (a file copy would miss what is still in the WAL)."""
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backups / f"dti-{label}-{stamp}.sqlite3"
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _engine(db_path: Path):
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{db_path}", future=True)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    return engine


def migrate(engine, revision: str | None) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Store:
    """An open store: `session()` gives SQLAlchemy sessions; `close()` releases the writer lock."""

    def __init__(self, data_dir: Path, engine, lock: WriterLock | None):
        from sqlalchemy.orm import sessionmaker

        self.data_dir = data_dir
        self.engine = engine
        self.lock = lock
        self.session = sessionmaker(engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def open_store(data_dir: Path, write: bool = True) -> Store:
    """Open (creating or upgrading when needed) the store of a data directory.

    Writers take the lock first, so a second writer gets a clear "in use" message rather than
    interleaved changes; readers do not lock (WAL lets them read while one process writes)."""
    data_dir = Path(data_dir)
    db_path = data_dir / DB_NAME
    lock = WriterLock(data_dir) if write else None
    if lock is not None:
        lock.acquire()
    try:
        revision = stored_revision(db_path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StoreTooNew(data_dir, revision)
        engine = _engine(db_path) if (write or db_path.exists()) else None
        if revision != HEAD:
            if not write:
                if revision is None:
                    # nothing stored yet: a reader sees an empty store without creating files
                    data_dir.mkdir(parents=True, exist_ok=True)
                    engine = _engine(db_path)
                    lock = WriterLock(data_dir)
                    lock.acquire()
                else:
                    lock = WriterLock(data_dir)
                    lock.acquire()
            if revision is not None:
                backup(db_path, data_dir / "backups", f"before-{HEAD}-from-{revision}")
            migrate(engine, revision)
            if not write and lock is not None:
                lock.release()
                lock = None
        return Store(data_dir, engine, lock)
    except BaseException:
        if lock is not None:
            lock.release()
        raise


@contextlib.contextmanager
def opened(data_dir: Path, write: bool = True) -> Iterator[Store]:
    store = open_store(data_dir, write)
    try:
        yield store
    finally:
        store.close()
