"""The optional parts of ronghe (pip extras) and the one message that names the extra to install.

Each extra in pyproject.toml that a code path needs has an entry here: what it enables, in Chinese
and English. A code path imports an extra's modules lazily and, when one is missing, raises
``missing_extra(extra, exc.name)``: a one-line RongheError naming ``pip install "ronghe[extra]"``
and the missing module.
"""

from __future__ import annotations

from ronghe.errors import RongheError

__all__ = ["EXTRA_FEATURES", "extra_message", "missing_extra"]

#: Extra name → (zh, en) of what it enables.
EXTRA_FEATURES: dict[str, tuple[str, str]] = {
    "maps": ("地图功能", "map support"),
    "dynamics": ("空间马尔可夫链", "spatial Markov chains"),
    "text": ("工作报告与 Word 文档", "work reports and Word documents"),
    "store": ("专题数据库", "the thematic database"),
    "planning": ("指数平滑预测", "exponential smoothing forecasts"),
}


def extra_message(extra: str) -> str:
    """The bilingual install hint of ``extra`` (a key of :data:`EXTRA_FEATURES`)."""
    zh, en = EXTRA_FEATURES[extra]
    return (f'{zh}需要可选依赖，请运行 pip install "ronghe[{extra}]" / '
            f'the optional extra for {en}: run pip install "ronghe[{extra}]"')


def missing_extra(extra: str, module: str | None) -> RongheError:
    """The error to raise when ``module`` of ``extra`` cannot be imported."""
    return RongheError(f"{extra_message(extra)} (missing: {module})")
