"""Every word a person reads: bilingual labels and message catalogues (zh-CN first, en).

This package is the one place for words. Its modules sit on the ground floor: they import nothing
of ronghe except :mod:`ronghe.errors` (itself a leaf), so the CLI, reports, workbooks and web pages
all show the same words. Each area keeps its catalogue in a submodule named for it
(``words.web``, ``words.diagnosis``, ``words.columns`` ...); this module holds what they share:
the language check, units of measurement, user roles, audit actions and numbers shown to their
precision. A code without an entry is shown as it is.
"""

from __future__ import annotations

import math
from typing import Literal

from ronghe.errors import InputError

__all__ = [
    "ACTIONS", "LANGS", "ROLES", "UNITS_ZH", "Lang", "action_label", "check_lang", "lang_index",
    "number", "pick", "role_label", "unit_label",
]

Lang = Literal["zh", "en"]

#: Supported languages, in the order bilingual pairs are written: (zh, en).
LANGS: tuple[Lang, Lang] = ("zh", "en")


def check_lang(lang: str) -> Lang:
    """``lang`` if it is ``zh`` or ``en``, else an InputError naming the value."""
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise InputError(f"语言须为 zh 或 en / lang must be zh or en, got {lang!r}", value=lang)


def lang_index(lang: str) -> int:
    """Position of ``lang`` in a (zh, en) pair: 0 for zh, 1 for en (checked)."""
    return LANGS.index(check_lang(lang))


def pick(pair: tuple[str, str], lang: str) -> str:
    """The word of a (zh, en) pair in ``lang`` (checked)."""
    return pair[lang_index(lang)]


#: Units as the frameworks write them -> Chinese (statistical yearbook usage).
UNITS_ZH: dict[str, str] = {
    "10^4 persons": "万人",
    "persons": "人",
    "10^4 yuan": "万元",
    "10^8 yuan": "亿元",
    "yuan": "元",
    "yuan/month": "元/月",
    "10^4 yuan/person": "万元/人",
    "ha": "公顷",
    "t/ha": "吨/公顷",
    "t": "吨",
    "kW": "千瓦",
    "kW/ha": "千瓦/公顷",
    "km": "千米",
    "km²": "平方千米",
    "km/km²": "千米/平方千米",
    "m²": "平方米",
    "m²/person": "平方米/人",
    "years": "年",
    "households": "户",
    "pp": "个百分点",
    "beds": "张",
    "count": "个",
    "index": "指数",
    "pupils per teacher": "名学生/教师",
    "parcels per 10^4 rural residents": "宗/万乡村人口",
    "nW/(cm²·sr)": "nW/(cm²·sr)",
}

ROLES: dict[str, tuple[str, str]] = {
    "admin": ("管理员", "administrator"),
    "analyst": ("分析员", "analyst"),
    "editor": ("数据填报员", "editor"),
    "viewer": ("查看者", "viewer"),
}

ACTIONS: dict[str, tuple[str, str]] = {
    "login": ("登录", "sign-in"),
    "login-failed": ("登录失败", "failed sign-in"),
    "login-blocked": ("登录被暂停", "sign-in blocked"),
    "logout": ("退出", "sign-out"),
    "import": ("导入数据", "import"),
    "settings": ("修改设置", "settings changed"),
    "token": ("创建令牌", "token created"),
    "token-revoke": ("撤销令牌", "token revoked"),
    "user-create": ("新建用户", "user created"),
    "user-edit": ("修改用户", "user changed"),
    "user-activate": ("启用用户", "user activated"),
    "user-reactivate": ("重新启用用户", "user reactivated"),
    "user-deactivate": ("停用用户", "user deactivated"),
    "password-reset": ("重置密码", "password reset"),
    "correct": ("更正数值", "value corrected"),
}


def unit_label(unit: str | None, lang: str = "zh") -> str:
    """The unit in ``lang``: Chinese for the framework's English codes (``10^4 yuan`` -> 万元);
    empty for no unit or a dash."""
    if unit is None or unit.strip() in ("", "-", "–"):
        return ""
    return UNITS_ZH.get(unit.strip(), unit) if lang == "zh" else unit


def role_label(role: str, lang: str = "zh") -> str:
    """A user role in ``lang`` (admin -> 管理员)."""
    return ROLES[role][lang != "zh"] if role in ROLES else role


def action_label(action: str, lang: str = "zh") -> str:
    """An audit action in ``lang`` (user-create -> 新建用户)."""
    return ACTIONS[action][lang != "zh"] if action in ACTIONS else action


def number(value: float | None, digits: int = 4) -> str:
    """``value`` rounded to ``digits`` decimals without trailing zeros (0.1234567890123 ->
    0.1235, 12.50 -> 12.5, 3.0 -> 3); '–' for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
