"""Move dict-format message modules into the gettext catalogues, then delete them.

    python -m i18n.tools.absorb i18n/messages/people.py [more modules ...]

A module defines ``MESSAGES: dict[str, tuple[str, str]]`` (key -> (English, Chinese), ``str.format`` fields,
Telegram HTML). Each key becomes a message of ``i18n/locale/{en,zh}/LC_MESSAGES/shopbot.po`` with the key as its
msgid; a ``key.one`` / ``key.other`` pair becomes one plural message ``key`` (English: one and other form;
Chinese: one form, the ``.other`` text). The Chinese texts get Chinese punctuation (``i18n.tools.punctuation``;
every change is printed). The ``.mo`` files are compiled afterwards. Nothing is written when a key is already in
the catalogue or a module cannot be read: the tool names the problem and exits with status 1.

A branch that edited a module which is gone here (a modify/delete conflict when merging): check out the branch's
version of the module and run ``python -m i18n.tools.absorb --base <merge base> i18n/messages/<area>.py``. Only
what the branch changed since the merge base is taken: its new keys are added, the texts it changed replace the
catalogue's, the keys it removed are removed; everything else stays as the catalogue has it.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from i18n import catalogue
from i18n.tools import punctuation


@dataclass(frozen=True)
class Entry:
    key: str
    english: tuple[str, ...]  # (text,) or (one, other)
    chinese: str
    area: str

    @property
    def plural(self) -> bool:
        return len(self.english) == 2


def load_module(path: Path) -> dict[str, tuple[str, str]]:
    spec = importlib.util.spec_from_file_location(f"_absorbed_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot read {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    messages = getattr(module, "MESSAGES", None)
    if not isinstance(messages, dict):
        raise SystemExit(f"{path} defines no MESSAGES dict")
    return messages


def entries(messages: dict[str, tuple[str, str]], area: str) -> list[Entry]:
    """The module's messages, ``key.one``/``key.other`` pairs joined into one plural entry (in first-seen order)."""
    result: list[Entry] = []
    for key, (english, chinese) in messages.items():
        stem, _, form = key.rpartition(".")
        paired = form in ("one", "other") and f"{stem}.one" in messages and f"{stem}.other" in messages
        if not paired:
            result.append(Entry(key, (english,), chinese, area))
        elif form == "one":
            other_en, other_zh = messages[f"{stem}.other"]
            result.append(Entry(stem, (english, other_en), other_zh, area))
    return result


def forms(entry: Entry, catalog: Catalog, lang: str) -> str | tuple[str, ...]:
    text = entry.english if lang == "en" else (entry.chinese,)
    if not entry.plural:
        return text[0]
    if catalog.num_plurals == len(text):
        return text
    return (text[-1],) * catalog.num_plurals


def absorb(
    paths: Iterable[Path], locale_dir: Path = catalogue.LOCALE_DIR, out=sys.stdout, *, base: str | None = None
) -> int:
    """Absorb the modules at ``paths`` into the catalogues under ``locale_dir`` and delete them; the number of
    messages added or changed. With ``base`` (a git revision), only what each module changed since ``base`` is
    taken: keys added, keys whose texts changed (replacing the catalogue's), keys removed (removed)."""
    paths = list(paths)
    if base is None:
        changes = Changes(added=[e for path in paths for e in entries(load_module(path), path.stem)])
    else:
        changes = Changes()
        for path in paths:
            changes.extend(_changes_since(base, path))
    count = apply(changes, locale_dir, out)
    for path in paths:
        path.unlink()
    print(f"deleted {', '.join(map(str, paths))}", file=out)
    return count


def absorb_messages(
    modules: list[tuple[str, dict[str, tuple[str, str]]]], locale_dir: Path = catalogue.LOCALE_DIR, out=sys.stdout
) -> int:
    """Add each (area, MESSAGES) to the catalogues and compile them; refuses (writing nothing) a key already there."""
    return apply(
        Changes(added=[entry for area, messages in modules for entry in entries(messages, area)]), locale_dir, out
    )


@dataclass
class Changes:
    added: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def extend(self, other: Changes) -> None:
        self.added += other.added
        self.changed += other.changed
        self.removed += other.removed


def _changes_since(base: str, path: Path) -> Changes:
    """What the module at ``path`` changed since git revision ``base`` (a module new since then: all of it)."""
    theirs = {entry.key: entry for entry in entries(load_module(path), path.stem)}
    shown = subprocess.run(
        ["git", "show", f"{base}:./{path.name}"], cwd=path.resolve().parent, capture_output=True, text=True
    )
    before: dict[str, Entry] = {}
    if shown.returncode == 0:
        with tempfile.TemporaryDirectory() as scratch:
            old = Path(scratch) / path.name
            old.write_text(shown.stdout, encoding="utf-8")
            before = {entry.key: entry for entry in entries(load_module(old), path.stem)}
    return Changes(
        added=[entry for key, entry in theirs.items() if key not in before],
        changed=[entry for key, entry in theirs.items() if key in before and before[key] != entry],
        removed=[key for key in before if key not in theirs],
    )


def _key(message: Message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def apply(changes: Changes, locale_dir: Path = catalogue.LOCALE_DIR, out=sys.stdout) -> int:
    """Write ``changes`` into the catalogues and compile them; writes nothing when an added key is already there
    (or added twice), a changed or removed one is not there, or a text is empty."""
    catalogs = {lang: catalogue.read_catalogue(lang, locale_dir) for lang in catalogue.LANGUAGES}
    known = {_key(message) for message in catalogs["en"] if message.id}
    seen: set[str] = set()
    clashes = [e.key for e in changes.added if e.key in known or e.key in seen or seen.add(e.key)]
    if clashes:
        raise SystemExit("already in the catalogue, nothing absorbed: " + ", ".join(sorted(clashes)))
    missing = [key for key in [e.key for e in changes.changed] + changes.removed if key not in known]
    if missing:
        raise SystemExit("not in the catalogue, nothing absorbed: " + ", ".join(sorted(missing)))
    # gettext reads an empty translation as "not translated": a message that should say nothing is left out
    written = changes.added + changes.changed
    empty = [e.key for e in written if not all(text.strip() for text in (*e.english, e.chinese))]
    if empty:
        raise SystemExit("empty texts, nothing absorbed (leave such a message out): " + ", ".join(sorted(empty)))
    for key in changes.removed + [e.key for e in changes.changed]:
        for catalog in catalogs.values():
            catalog.delete(next(m.id for m in catalog if m.id and _key(m) == key))
    for entry in written:
        fixed = punctuation.fix(entry.chinese)
        if fixed != entry.chinese:
            print(f"{entry.key}: zh punctuation\n  - {entry.chinese!r}\n  + {fixed!r}", file=out)
            entry = Entry(entry.key, entry.english, fixed, entry.area)
        for lang, catalog in catalogs.items():
            msgid = (entry.key, entry.key) if entry.plural else entry.key
            catalog.add(msgid, forms(entry, catalog, lang), auto_comments=[f"area: {entry.area}"])
    for lang, catalog in catalogs.items():
        catalogue.write_catalogue(catalog, lang, locale_dir)
        catalogue.compile_catalogue(lang, locale_dir)
    counts = (len(changes.added), len(changes.changed), len(changes.removed))
    print("absorbed {} new, {} changed and {} removed messages".format(*counts), file=out)
    return len(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m i18n.tools.absorb", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", type=Path, help="i18n/messages/<area>.py files")
    parser.add_argument(
        "--base",
        help="a git revision: take only what each module changed since it (for a module that was edited on a branch "
        "made before the catalogues existed: check out that branch's version, then absorb --base <merge base>)",
    )
    arguments = parser.parse_args(argv)
    absorb(arguments.modules, base=arguments.base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
