"""Words of the analysis figures (:mod:`ronghe.spatial.figures`): titles, axis labels, legend
classes of the LISA, significance and Gi* maps, the map furniture. Every entry is a (zh, en) pair;
``{name}`` fields are filled by the figure. The words are in ``figures.toml``."""

from __future__ import annotations

from ronghe.words import Catalogue

__all__ = ["CLUSTER_LABELS", "CORRECTION_TEXT", "HOTSPOT_LABELS", "SIGNIFICANCE_LABELS", "TEXT",
           "VARIABLE_LABELS"]

_WORDS = Catalogue("figures.toml")
CLUSTER_LABELS = _WORDS.take("CLUSTER_LABELS", dict[str, tuple[str, str]])
SIGNIFICANCE_LABELS = _WORDS.take("SIGNIFICANCE_LABELS", dict[str, tuple[str, str]])
HOTSPOT_LABELS = _WORDS.take("HOTSPOT_LABELS", dict[str, tuple[str, str]])
CORRECTION_TEXT = _WORDS.take("CORRECTION_TEXT", dict[str, tuple[str, str]])
VARIABLE_LABELS = _WORDS.take("VARIABLE_LABELS", dict[str, tuple[str, str]])
TEXT = _WORDS.take("TEXT", dict[str, tuple[str, str]])
_WORDS.close()
