"""The gettext catalogues on disk: ``i18n/locale/<lang>/LC_MESSAGES/shopbot.po`` (edited, in git) and the ``.mo``
compiled from it with Babel (built by the install: ``setup.py``'s ``build_py`` runs ``compile_all``; a checkout
whose ``.mo`` is missing or older than its ``.po`` compiles it at first use, see ``i18n.translations``).

The msgid of every message is its key (``buyer.cart.title``); a plural message has ``msgid_plural`` equal to its
key too and one ``msgstr[i]`` per plural form of the language (English two, Chinese one).
"""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "shopbot"
LANGUAGES = ("en", "zh")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return po_path(lang, locale_dir).with_suffix(".mo")


def read_catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> Catalog:
    path = po_path(lang, locale_dir)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="shopbot", fuzzy=False)
    with path.open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


def write_catalogue(catalog: Catalog, lang: str, locale_dir: Path = LOCALE_DIR) -> None:
    path = po_path(lang, locale_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=120, omit_header=False, sort_output=False, include_previous=False)


def is_stale(lang: str, locale_dir: Path = LOCALE_DIR) -> bool:
    mo = mo_path(lang, locale_dir)
    return not mo.exists() or mo.stat().st_mtime < po_path(lang, locale_dir).stat().st_mtime


def compile_catalogue(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    """Compile one language's ``.po`` to its ``.mo`` (written atomically, so a reader never sees half a file)."""
    catalog = read_catalogue(lang, locale_dir)
    mo = mo_path(lang, locale_dir)
    partial = mo.with_name(f".{mo.name}.{os.getpid()}.partial")
    with partial.open("wb") as out:
        write_mo(out, catalog, use_fuzzy=False)
    partial.replace(mo)
    return mo


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    return [compile_catalogue(lang, locale_dir) for lang in LANGUAGES]
