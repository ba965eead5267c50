"""Words of the progress the evaluation reports step by step (``Study.evaluate(progress=...)``
calls it with the step ids below); the command line shows them while it computes. The words are
in ``progress.toml``."""

from __future__ import annotations

from ronghe.words import Catalogue, pick

__all__ = ["STEPS", "step_label"]

_WORDS = Catalogue("progress.toml")
STEPS = _WORDS.take("STEPS", dict[str, tuple[str, str]])
_WORDS.close()


def step_label(step: str, lang: str | None = None) -> str:
    """A step in ``lang`` (``zh`` or ``en``), or with ``lang`` None both, zh first, as the command
    line writes its messages (``标准化 normalisation``); any other text (a step already in words)
    as it is."""
    if step not in STEPS:
        return step
    return " ".join(STEPS[step]) if lang is None else pick(STEPS[step], lang)
