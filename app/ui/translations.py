"""The interface's translations: Vietnamese is the source text of every `tr(context, text)` call; English
comes from `resources/i18n/dti_en.ts` (Qt's TS XML, the file translators edit, written by
`tools/i18n.py update`).

A build compiles it to `dti_en.qm` with `pyside6-lrelease` (`tools/i18n.py compile`); binaries are
never committed. Where no `.qm` was built (a checkout, the tests) the `.ts` is read at start-up into a
dict behind a QTranslator subclass: the same lookups, a few milliseconds more.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from app.paths import resource_dir

Messages = dict[tuple[str, str], str]   # (context, Vietnamese source) -> translation


def i18n_dir() -> Path:
    return resource_dir() / "i18n"


def read_ts(path: Path) -> tuple[Messages, set[tuple[str, str]]]:
    """(finished translations, keys whose translation is unfinished or empty) of a TS file."""
    # imported here: only where English is read from the .ts, never at a Vietnamese start
    import xml.etree.ElementTree as ET

    done: Messages = {}
    unfinished: set[tuple[str, str]] = set()
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            node = message.find("translation")
            text = (node.text or "") if node is not None else ""
            kind = node.get("type") if node is not None else "unfinished"
            if kind in ("vanished", "obsolete"):
                continue
            if kind == "unfinished" or not text:
                unfinished.add((name, source))
            else:
                done[(name, source)] = text
    return done, unfinished


class DictTranslator(QTranslator):
    """A QTranslator over a dict, for a `.ts` that has not been compiled."""

    def __init__(self, messages: Messages, parent=None):
        super().__init__(parent)
        self.messages = messages

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return self.messages.get((context, source))

    def isEmpty(self) -> bool:
        return not self.messages


def load_translator(lang: str, folder: Path | None = None, parent=None) -> QTranslator | None:
    """The compiled `.qm` when a build made one, else the `.ts` read as it is; None for Vietnamese or
    when neither exists (the interface then stays Vietnamese)."""
    if lang == "vi":
        return None
    folder = folder or i18n_dir()
    compiled = QTranslator(parent)
    if (folder / f"dti_{lang}.qm").is_file() and compiled.load(f"dti_{lang}", str(folder)):
        return compiled
    source = folder / f"dti_{lang}.ts"
    if source.is_file():
        messages, _unfinished = read_ts(source)
        return DictTranslator(messages, parent)
    return None


def install(lang: str) -> QTranslator | None:
    app = QCoreApplication.instance()
    translator = load_translator(lang, parent=app)
    if translator is not None and app is not None:
        app.installTranslator(translator)
    return translator
