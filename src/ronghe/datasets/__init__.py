"""Datasets shipped with ronghe: a seeded synthetic county panel and the real provincial panel."""

from ronghe.datasets.provinces import provinces, provinces_framework, provinces_sources
from ronghe.datasets.synthetic import synthetic_counties

__all__ = ["provinces", "provinces_framework", "provinces_sources", "synthetic_counties"]
