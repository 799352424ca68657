"""The gettext catalogues: every message in both languages with the same blanks, real plural forms, Chinese
punctuation in Chinese texts, compiled catalogues that match their .po files, and the absorb tool that moves a
dict-format module in."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo

from i18n import Reader, carrier_key, catalogue, has, t
from i18n.tools import absorb, punctuation
from tests.unit.message_checks import blanks

CATALOGUES = {lang: catalogue.read_catalogue(lang) for lang in catalogue.LANGUAGES}


def _messages(lang: str) -> dict[str, tuple[str, ...]]:
    return {
        (m.id if isinstance(m.id, str) else m.id[0]): ((m.string,) if isinstance(m.string, str) else tuple(m.string))
        for m in CATALOGUES[lang]
        if m.id
    }


EN, ZH = _messages("en"), _messages("zh")


def test_every_message_is_in_both_languages_with_a_text() -> None:
    assert sorted(set(EN) ^ set(ZH)) == []
    empty = [key for key in EN if not all(form.strip() for form in EN[key] + ZH[key])]
    assert empty == []


@pytest.mark.parametrize("key", sorted(EN))
def test_english_and_chinese_fill_the_same_blanks(key: str) -> None:
    # the English singular may spell out "1" where the others say {count}
    english_other, chinese = EN[key][-1], ZH[key]
    assert all(blanks(form) == blanks(english_other) for form in chinese), key
    assert blanks(EN[key][0]) <= blanks(english_other) | {"count"}


def test_plural_messages_have_each_language_s_number_of_forms() -> None:
    plurals = [key for key, forms in EN.items() if len(forms) > 1]
    assert len(plurals) >= 25
    assert CATALOGUES["en"].num_plurals == 2 and CATALOGUES["zh"].num_plurals == 1
    assert [key for key in plurals if len(EN[key]) != 2 or len(ZH[key]) != 1] == []
    hand_made = [key for key, forms in EN.items() if any("(s)" in form for form in forms) or f"{key}.other" in EN]
    assert hand_made == []


def test_chinese_texts_use_chinese_punctuation() -> None:
    found = {key: punctuation.offences(form) for key, forms in ZH.items() for form in forms}
    assert {key: marks for key, marks in found.items() if marks} == {}


def test_the_compiled_catalogues_match_their_po_files() -> None:
    for lang in catalogue.LANGUAGES:
        fresh = io.BytesIO()
        write_mo(fresh, catalogue.read_catalogue(lang), use_fuzzy=False)
        assert catalogue.mo_path(lang).read_bytes() == fresh.getvalue(), f"{lang}: run pip install -e . again"


def test_no_dict_module_is_left_to_absorb() -> None:
    left = [p.name for p in (Path(catalogue.__file__).parent / "messages").glob("*.py") if p.name != "__init__.py"]
    assert left == [], "run python -m i18n.tools.absorb on them"


def test_a_plural_takes_the_form_of_its_count() -> None:
    assert t("en", "merchant.imports.refused", count=1) == "⚠️ 1 row was not imported."
    assert t("en", "merchant.imports.refused", count=3) == "⚠️ 3 rows were not imported."
    assert t("zh", "merchant.imports.refused", count=3) == "⚠️ 有 3 行未导入。"
    assert t("en", "buyer.checkout.placed_title", count=1) == "✅ <b>1 order placed</b>"
    assert t("en", "merchant.imports.refused", count=12345) == "⚠️ 12,345 rows were not imported."
    assert has("merchant.imports.refused") and not has("merchant.imports.refused.one")


def test_carriers_and_times_read_as_the_reader_knows_them() -> None:
    assert "顺丰速运" in t("zh", "buyer.order.shipped", carrier="SF Express", tracking="SF1")
    assert "SF Express" in t("en", "buyer.order.shipped", carrier="SF Express", tracking="SF1")
    assert "Swift Parcel" in t("zh", "buyer.order.shipped", carrier="Swift Parcel", tracking="SF1")
    at = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    line = "buyer.checkout.placed_order"
    assert "pay by Mar 2, 2026 09:30 (UTC)" in t("en", line, order_id=1, total=None, pay_by=at)
    assert "请于 2026年3月2日 17:30（Asia/Shanghai） 前付款" in t("zh", line, order_id=1, total=None, pay_by=at)
    berlin = Reader("en", "Europe/Berlin")
    assert "pay by Mar 2, 2026 10:30 (Europe/Berlin)" in t(berlin, line, order_id=1, total=None, pay_by=at)
    assert Reader("zh", "Not/AZone").zone == "Asia/Shanghai"


def test_punctuation_fix_keeps_markup_code_and_numbers() -> None:
    assert punctuation.fix("欢迎,{name}!") == "欢迎，{name}！"
    assert punctuation.fix("说明: {note}") == "说明：{note}"
    assert punctuation.fix("用法:/reply &lt;单号&gt;") == "用法：/reply &lt;单号&gt;"
    assert (
        punctuation.fix("例如 <code>茉莉花茶,39.90,120</code>(示例)") == "例如 <code>茉莉花茶,39.90,120</code>（示例）"
    )
    assert punctuation.fix("时间 12:30,共 1,000 件") == "时间 12:30，共 1,000 件"


@pytest.fixture
def locale_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "locale"
    for lang in catalogue.LANGUAGES:
        target = catalogue.po_path(lang, copy)
        target.parent.mkdir(parents=True)
        shutil.copy(catalogue.po_path(lang), target)
    return copy


def test_absorb_moves_a_dict_module_into_the_catalogues(tmp_path: Path, locale_copy: Path) -> None:
    module = tmp_path / "people.py"
    module.write_text(
        "MESSAGES = {\n"
        '    "people.hello": ("Hello, {name}!", "你好,{name}!"),\n'
        '    "people.friends.one": ("1 friend", "1 位好友"),\n'
        '    "people.friends.other": ("{count} friends", "{count} 位好友(共计)"),\n'
        "}\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    assert absorb.absorb([module], locale_copy, out) == 2
    assert not module.exists()
    with catalogue.mo_path("en", locale_copy).open("rb") as mo:
        english = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_mo(mo)}
    with catalogue.mo_path("zh", locale_copy).open("rb") as mo:
        chinese = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read_mo(mo)}
    assert english["people.friends"] == ["1 friend", "{count} friends"]
    assert chinese["people.friends"] == ["{count} 位好友（共计）"]
    assert chinese["people.hello"] == "你好，{name}！"
    assert "zh punctuation" in out.getvalue()


def test_absorb_refuses_a_key_already_there_and_writes_nothing(tmp_path: Path, locale_copy: Path) -> None:
    module = tmp_path / "again.py"
    module.write_text('MESSAGES = {"error.not_found": ("Gone", "没了")}\n', encoding="utf-8")
    before = catalogue.po_path("en", locale_copy).read_bytes()
    with pytest.raises(SystemExit, match=r"error\.not_found"):
        absorb.absorb([module], locale_copy, io.StringIO())
    assert module.exists() and catalogue.po_path("en", locale_copy).read_bytes() == before


def test_absorb_since_a_base_takes_only_what_a_branch_changed(tmp_path: Path, locale_copy: Path) -> None:
    # Given a module committed (and absorbed) before, then edited on a branch: one text changed, one key added,
    # one removed
    repo = tmp_path / "repo"
    repo.mkdir()
    module = repo / "people.py"

    def write(messages: str) -> None:
        module.write_text(f"MESSAGES = {{\n{messages}}}\n", encoding="utf-8")

    write('    "people.a": ("A", "甲"),\n    "people.b": ("B", "乙"),\n    "people.c": ("C", "丙"),\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "people.py"], check=True)
    subprocess.run([*git, "commit", "-qm", "base"], check=True)
    absorb.absorb_messages([("people", absorb.load_module(module))], locale_copy, io.StringIO())
    write('    "people.a": ("A", "甲"),\n    "people.b": ("Bee!", "乙!"),\n    "people.d": ("D", "丁"),\n')

    # When it is absorbed since the base
    out = io.StringIO()
    absorb.absorb([module], locale_copy, out, base="HEAD")

    # Then the catalogue has the branch's changes and nothing else changed
    chinese = {m.id: m.string for m in catalogue.read_catalogue("zh", locale_copy) if m.id}
    english = {m.id: m.string for m in catalogue.read_catalogue("en", locale_copy) if m.id}
    assert (english["people.b"], chinese["people.b"], chinese["people.d"]) == ("Bee!", "乙！", "丁")
    assert "people.c" not in english and "people.c" not in chinese and english["people.a"] == "A"
    assert "absorbed 1 new, 1 changed and 1 removed messages" in out.getvalue() and not module.exists()


def test_every_known_carrier_has_its_local_name() -> None:
    from domain.validation import KNOWN_CARRIERS

    assert sorted(name for name in set(KNOWN_CARRIERS.values()) if not has(carrier_key(name))) == []
    assert t("zh", "carrier.jd_logistics") == "京东物流" and t("zh", "carrier.zto_express") == "中通快递"
