"""CJK fonts for figures: which installed font family renders Chinese, and its file.

Shared by the publication figures (:mod:`ronghe.report`) and the analysis figures
(:mod:`ronghe.spatial.figures`), so both pick the same family in the same order.

matplotlib lists the installed fonts once and keeps the list in ``fontlist-*.json`` under its
configuration directory; a font installed after that list was written (``apt-get install
fonts-noto-cjk`` after matplotlib first ran) stays invisible to it. So when none of
:data:`CJK_FAMILIES` is in matplotlib's list, :func:`cjk_family` looks for CJK font files itself —
``fc-list :lang=zh file`` where fontconfig exists, then the usual font directories of Linux, macOS
and Windows by file name — and registers them with ``fontManager.addfont`` for this process. The
cached list is not rewritten.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from ronghe.errors import InputError

CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Noto Serif CJK JP",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)

#: Serif (宋体/仿宋-style) families for body text of documents, in order of preference.
CJK_SERIF_FAMILIES: tuple[str, ...] = (
    "FangSong",
    "FangSong_GB2312",
    "仿宋",
    "仿宋_GB2312",
    "STFangsong",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "SimSun",
    "Songti SC",
)

#: Lower-case file-name prefixes of CJK fonts in the usual font directories.
_FILE_PREFIXES = ("notosanscjk", "notoserifcjk", "sourcehansans", "sourcehanserif", "wqy",
                  "msyh", "simhei", "simsun", "simfang", "fangsong", "pingfang", "stheiti",
                  "songti")
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
            home / ".local/share/fonts", Path("/System/Library/Fonts"), Path("/Library/Fonts"),
            home / "Library/Fonts"]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


def _fc_list() -> list[Path]:
    exe = shutil.which("fc-list")
    if exe is None:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]


def cjk_font_files() -> list[Path]:
    """CJK font files on this machine, found without matplotlib (see the module docstring)."""
    found = {p for p in _fc_list() if p.suffix.lower() in _FONT_SUFFIXES and p.is_file()}
    for directory in _font_dirs():
        for path in directory.rglob("*"):
            name = path.name.lower()
            if name.endswith(_FONT_SUFFIXES) and name.startswith(_FILE_PREFIXES):
                found.add(path)
    return sorted(found)


@cache
def _register_cjk_files() -> None:
    """Add the CJK font files matplotlib's cached list misses (once per process)."""
    from matplotlib import font_manager

    known = {Path(f.fname) for f in font_manager.fontManager.ttflist}
    for path in cjk_font_files():
        if path not in known:
            try:
                font_manager.fontManager.addfont(str(path))
            except (OSError, RuntimeError, ValueError):
                continue  # an unreadable file: matplotlib would skip it too


def _installed() -> set[str]:
    from matplotlib import font_manager

    return {font.name for font in font_manager.fontManager.ttflist}


def _first(families: tuple[str, ...]) -> str | None:
    installed = _installed()
    hit = next((f for f in families if f in installed), None)
    if hit is None:
        _register_cjk_files()
        installed = _installed()
        hit = next((f for f in families if f in installed), None)
    return hit


def cjk_family() -> str | None:
    """The first family of :data:`CJK_FAMILIES` installed, or None; fonts installed after
    matplotlib's font list was cached count (see the module docstring)."""
    return _first(CJK_FAMILIES)


def cjk_serif_family() -> str | None:
    """The first installed family of :data:`CJK_SERIF_FAMILIES` (仿宋 first), or None."""
    return _first(CJK_SERIF_FAMILIES)


def font_file(family: str) -> Path:
    """The font file matplotlib uses for ``family`` (no silent fallback to DejaVu Sans)."""
    from matplotlib import font_manager

    try:
        found = font_manager.findfont(
            font_manager.FontProperties(family=family), fallback_to_default=False
        )
    except ValueError:
        raise InputError(f"字体未安装 / font family {family!r} is not installed") from None
    return Path(found)
