"""Find interface strings that no catalogue translates (used by the translations test).

``makemessages`` needs GNU gettext; this check does not. Python sources are parsed with
``ast`` (calls of ``_``, ``gettext``, ``gettext_lazy``, ``pgettext``, ``ngettext``… with a
literal first argument); templates go through Django's own ``templatize``, which turns
``{% translate %}`` / ``{% blocktranslate %}`` into gettext calls, and are then parsed the same
way.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polib
from django.utils.translation.template import templatize

SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


@dataclass(frozen=True)
class Message:
    msgid: str
    context: str
    where: str


def _from_python(source: str, where: str) -> Iterator[Message]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        args = node.args
        if name in SINGULAR and args and isinstance(args[0], ast.Constant):
            if isinstance(args[0].value, str) and args[0].value:
                yield Message(args[0].value, "", f"{where}:{node.lineno}")
        elif name in CONTEXT and len(args) >= 2:
            ctx, msg = args[0], args[1]
            literal = isinstance(ctx, ast.Constant) and isinstance(msg, ast.Constant)
            if literal and isinstance(msg.value, str) and msg.value:
                yield Message(msg.value, str(ctx.value), f"{where}:{node.lineno}")


def messages_in(paths: Iterable[Path], root: Path) -> Iterator[Message]:
    for path in paths:
        where = str(path.relative_to(root))
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            yield from _from_python(text, where)
        else:
            yield from _from_python(templatize(text, origin=str(path)), where)


def source_files(root: Path) -> list[Path]:
    skip = ("/tests/", "/migrations/", "/management/")
    files = [
        p
        for p in sorted(root.glob("**/*.py")) + sorted(root.glob("**/templates/**/*.html"))
        if not any(s in f"/{p.relative_to(root).as_posix()}" for s in skip)
        and not p.name.startswith("test_")
    ]
    return files


def translated(catalogues: Iterable[Path]) -> set[tuple[str, str]]:
    done: set[tuple[str, str]] = set()
    for path in catalogues:
        for entry in polib.pofile(str(path)):
            if entry.translated() and not entry.obsolete:
                done.add((entry.msgctxt or "", entry.msgid))
    return done


def untranslated(root: Path, catalogues: Iterable[Path]) -> list[Message]:
    done = translated(catalogues)
    seen: set[tuple[str, str]] = set()
    missing = []
    for message in messages_in(source_files(root), root.parent):
        key = (message.context, message.msgid)
        if key not in done and key not in seen:
            seen.add(key)
            missing.append(message)
    return missing
