"""The desktop application's translations: `tr("Context", "Vietnamese text")` calls → Qt TS → QM.

    python tools/i18n.py update    # add new strings of app/ui to resources/i18n/dti_en.ts, keep translations
    python tools/i18n.py check     # exit 1 when a string is missing from the .ts or not yet translated
    python tools/i18n.py compile   # dti_en.qm with pyside6-lrelease (at build time; never committed)

The extractor reads the source with `ast` (no import, no Qt): the first argument is a string literal or
a module-level constant (`CTX = "Editor"`), the second a string literal. A call whose text is not a
literal cannot be translated at build time and is reported as an error.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "app" / "ui"
TS = ROOT / "resources" / "i18n" / "dti_en.ts"
LANGUAGE, SOURCE_LANGUAGE = "en_GB", "vi_VN"


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    where: str      # file:line of the first use


def _constants(tree: ast.Module) -> dict[str, str]:
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out[target.id] = node.value.value
    return out


def _is_tr(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "tr") or (
        isinstance(func, ast.Attribute) and func.attr == "translate" and isinstance(func.value, ast.Name)
        and func.value.id == "QCoreApplication")


def extract(folder: Path = SOURCES) -> tuple[list[Message], list[str]]:
    """(messages in source order, first use kept; errors for calls that are not literal)."""
    seen: dict[tuple[str, str], Message] = {}
    errors: list[str] = []
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        constants = _constants(tree)
        rel = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_tr(node.func)) or path.name == "text.py":
                continue
            if len(node.args) != 2:
                errors.append(f"{rel}:{node.lineno}: tr() needs (context, text)")
                continue
            ctx_node, text_node = node.args
            if isinstance(ctx_node, ast.Constant) and isinstance(ctx_node.value, str):
                context = ctx_node.value
            elif isinstance(ctx_node, ast.Name) and ctx_node.id in constants:
                context = constants[ctx_node.id]
            else:
                errors.append(f"{rel}:{node.lineno}: the context is not a literal or a module constant")
                continue
            if not (isinstance(text_node, ast.Constant) and isinstance(text_node.value, str)):
                errors.append(f"{rel}:{node.lineno}: the text is not a string literal")
                continue
            key = (context, text_node.value)
            seen.setdefault(key, Message(context, text_node.value, f"{rel}:{node.lineno}"))
    return list(seen.values()), errors


def read(path: Path = TS) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation, None where unfinished."""
    if not path.is_file():
        return {}
    out: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            node = message.find("translation")
            if node is not None and node.get("type") in ("vanished", "obsolete"):
                continue
            text = node.text if node is not None else None
            unfinished = node is None or node.get("type") == "unfinished" or not text
            out[(name, message.findtext("source") or "")] = None if unfinished else text
    return out


def write(messages: list[Message], translations: dict[tuple[str, str], str | None], path: Path = TS) -> None:
    """The TS file, contexts sorted, messages in source order; strings gone from the code are dropped."""
    root = ET.Element("TS", version="2.1", language=LANGUAGE, sourcelanguage=SOURCE_LANGUAGE)
    contexts: dict[str, list[Message]] = {}
    for m in messages:
        contexts.setdefault(m.context, []).append(m)
    for name in sorted(contexts):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = name
        for m in contexts[name]:
            msg = ET.SubElement(ctx, "message")
            file, _, line = m.where.rpartition(":")
            ET.SubElement(msg, "location", filename=f"../../{file}", line=line)
            ET.SubElement(msg, "source").text = m.source
            text = translations.get((m.context, m.source))
            node = ET.SubElement(msg, "translation")
            if text:
                node.text = text
            else:
                node.set("type", "unfinished")
    ET.indent(root, space="    ")
    body = ET.tostring(root, encoding="unicode")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(".ts.tmp")
    temp.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    temp.replace(path)


def problems(messages: list[Message], translations: dict[tuple[str, str], str | None]) -> list[str]:
    out = []
    for m in messages:
        key = (m.context, m.source)
        if key not in translations:
            out.append(f"{m.where}: new, not in {TS.name}: [{m.context}] {m.source!r}")
        elif not translations[key]:
            out.append(f"{m.where}: not translated yet: [{m.context}] {m.source!r}")
    wanted = {(m.context, m.source) for m in messages}
    out += [f"{TS.name}: no longer used: [{c}] {s!r}" for c, s in translations if (c, s) not in wanted]
    return out


def lrelease() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    return str(here) if here.exists() else shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "check", "compile"))
    parser.add_argument("--out", type=Path, default=TS.with_suffix(".qm"), help="compile: the .qm to write")
    args = parser.parse_args(argv)
    messages, errors = extract()
    for error in errors:
        print(error, file=sys.stderr)
    translations = read()
    if args.command == "update":
        write(messages, translations)
        left = [p for p in problems(messages, read()) if "not translated" in p]
        print(f"{TS.relative_to(ROOT)}: {len(messages)} strings, {len(left)} to translate")
        return 1 if errors else 0
    if args.command == "check":
        found = problems(messages, translations)
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found or errors else 0
    tool = lrelease()
    if tool is None:
        print("pyside6-lrelease not found (pip install PySide6-Essentials)", file=sys.stderr)
        return 1
    return subprocess.run([tool, "-silent", str(TS), "-qm", str(args.out)], check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
