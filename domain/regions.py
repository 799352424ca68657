"""Delivery regions for shipping fees: China's 34 provincial-level divisions, plus "other" for everywhere else.

A shipping template may charge a region its own fee (``domain.shipping``). The region of an order is the one
its delivery address names: the first province found in the address text, by its Chinese name (with or without
省/市/自治区…) or its English (pinyin) name, case-insensitive; an address naming none is "other". Merchants type
regions the same way (``广东 12``, ``Xinjiang 30``).
"""

from __future__ import annotations

OTHER = "other"

# code → (Chinese short name, English name); codes are stored in templates and never change.
REGIONS: dict[str, tuple[str, str]] = {
    "beijing": ("北京", "Beijing"),
    "tianjin": ("天津", "Tianjin"),
    "hebei": ("河北", "Hebei"),
    "shanxi": ("山西", "Shanxi"),
    "neimenggu": ("内蒙古", "Inner Mongolia"),
    "liaoning": ("辽宁", "Liaoning"),
    "jilin": ("吉林", "Jilin"),
    "heilongjiang": ("黑龙江", "Heilongjiang"),
    "shanghai": ("上海", "Shanghai"),
    "jiangsu": ("江苏", "Jiangsu"),
    "zhejiang": ("浙江", "Zhejiang"),
    "anhui": ("安徽", "Anhui"),
    "fujian": ("福建", "Fujian"),
    "jiangxi": ("江西", "Jiangxi"),
    "shandong": ("山东", "Shandong"),
    "henan": ("河南", "Henan"),
    "hubei": ("湖北", "Hubei"),
    "hunan": ("湖南", "Hunan"),
    "guangdong": ("广东", "Guangdong"),
    "guangxi": ("广西", "Guangxi"),
    "hainan": ("海南", "Hainan"),
    "chongqing": ("重庆", "Chongqing"),
    "sichuan": ("四川", "Sichuan"),
    "guizhou": ("贵州", "Guizhou"),
    "yunnan": ("云南", "Yunnan"),
    "xizang": ("西藏", "Tibet"),
    "shaanxi": ("陕西", "Shaanxi"),
    "gansu": ("甘肃", "Gansu"),
    "qinghai": ("青海", "Qinghai"),
    "ningxia": ("宁夏", "Ningxia"),
    "xinjiang": ("新疆", "Xinjiang"),
    "hongkong": ("香港", "Hong Kong"),
    "macau": ("澳门", "Macau"),
    "taiwan": ("台湾", "Taiwan"),
    OTHER: ("其他", "Other"),
}

# Longest names first, so "Shaanxi" is not read as "Shanxi" and "内蒙古" wins over shorter matches.
_BY_NAME = sorted(
    ((name.casefold(), code) for code, names in REGIONS.items() for name in (*names, code)),
    key=lambda pair: -len(pair[0]),
)


def region_named(name: str) -> str | None:
    """The region code a merchant's name for it means (Chinese, English or code; 省/市 suffixes allowed)."""
    wanted = name.strip().casefold()
    for suffix in ("省", "市", "自治区", "特别行政区", "壮族自治区", "回族自治区", "维吾尔自治区"):
        wanted = wanted.removesuffix(suffix)
    return next((code for known, code in _BY_NAME if known == wanted), None) if wanted else None


def region_of(address_text: str) -> str:
    """The region an address is in: the first (longest-named) province its text names, else ``OTHER``."""
    text = address_text.casefold()
    return next((code for known, code in _BY_NAME if code != OTHER and known in text), OTHER)


def region_name(code: str, lang: str) -> str:
    names = REGIONS.get(code, REGIONS[OTHER])
    return names[0] if lang.startswith("zh") else names[1]
