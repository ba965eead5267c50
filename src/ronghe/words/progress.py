"""Words of the progress the evaluation reports step by step (``Study.evaluate(progress=...)``
calls it with the step ids below); the command line shows them while it computes."""

from __future__ import annotations

from ronghe.words import pick

__all__ = ["STEPS", "step_label"]

#: Step id of the evaluation chain -> (zh, en).
STEPS: dict[str, tuple[str, str]] = {
    "indicators": ("计算指标值", "indicator values"),
    "treatment": ("数据处理（插补、缩尾、对数）", "treatment (imputation, winsorising, log)"),
    "normalisation": ("标准化", "normalisation"),
    "weights": ("赋权", "weighting"),
    "aggregation": ("维度得分与综合指数", "dimension scores and composite index"),
    "coupling": ("耦合协调度", "coupling coordination"),
}


def step_label(step: str, lang: str | None = None) -> str:
    """A step in ``lang`` (``zh`` or ``en``), or with ``lang`` None both, zh first, as the command
    line writes its messages (``标准化 normalisation``); any other text (a step already in words)
    as it is."""
    if step not in STEPS:
        return step
    return " ".join(STEPS[step]) if lang is None else pick(STEPS[step], lang)
