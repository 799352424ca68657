"""Move dict-format message modules into the gettext catalogues, then delete them.

    python -m i18n.tools.absorb i18n/messages/people.py [more modules ...]

A module defines ``MESSAGES: dict[str, tuple[str, str]]`` (key -> (English, Chinese), ``str.format`` fields,
Telegram HTML). Each key becomes a message of ``i18n/locale/{en,zh}/LC_MESSAGES/shopbot.po`` with the key as its
msgid; a ``key.one`` / ``key.other`` pair becomes one plural message ``key`` (English: one and other form;
Chinese: one form, the ``.other`` text). The Chinese texts get Chinese punctuation (``i18n.tools.punctuation``;
every change is printed). The ``.mo`` files are compiled afterwards. Nothing is written when a key is already in
the catalogue or a module cannot be read: the tool names the problem and exits with status 1.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

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


def absorb(paths: Iterable[Path], locale_dir: Path = catalogue.LOCALE_DIR, out=sys.stdout) -> int:
    """Absorb the modules at ``paths`` into the catalogues under ``locale_dir`` and delete them; the number of
    messages added."""
    paths = list(paths)
    count = absorb_messages([(path.stem, load_module(path)) for path in paths], locale_dir, out)
    for path in paths:
        path.unlink()
    print(f"deleted {', '.join(map(str, paths))}", file=out)
    return count


def absorb_messages(
    modules: list[tuple[str, dict[str, tuple[str, str]]]], locale_dir: Path = catalogue.LOCALE_DIR, out=sys.stdout
) -> int:
    """Add each (area, MESSAGES) to the catalogues and compile them; refuses (writing nothing) a key already there."""
    new = [entry for area, messages in modules for entry in entries(messages, area)]
    catalogs = {lang: catalogue.read_catalogue(lang, locale_dir) for lang in catalogue.LANGUAGES}
    known = {message.id if isinstance(message.id, str) else message.id[0] for message in catalogs["en"] if message.id}
    seen: set[str] = set()
    clashes = [e.key for e in new if e.key in known or e.key in seen or seen.add(e.key)]
    if clashes:
        raise SystemExit("already in the catalogue, nothing absorbed: " + ", ".join(sorted(clashes)))
    # gettext reads an empty translation as "not translated": a message that should say nothing is left out
    empty = [e.key for e in new if not all(text.strip() for text in (*e.english, e.chinese))]
    if empty:
        raise SystemExit("empty texts, nothing absorbed (leave such a message out): " + ", ".join(sorted(empty)))
    for entry in new:
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
    print(f"absorbed {len(new)} messages from {len(modules)} module(s)", file=out)
    return len(new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m i18n.tools.absorb", description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", type=Path, help="i18n/messages/<area>.py files")
    absorb(parser.parse_args(argv).modules)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
