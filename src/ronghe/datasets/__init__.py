"""Datasets shipped with ronghe: the real county panel of the 2010 and 2020 censuses, a seeded
synthetic county panel and the real provincial panel."""

from ronghe.datasets.census import census_counties, census_licence, census_raw
from ronghe.datasets.census import data_hash as census_data_hash
from ronghe.datasets.provinces import data_hash as provinces_data_hash
from ronghe.datasets.provinces import provinces, provinces_framework, provinces_sources
from ronghe.datasets.synthetic import synthetic_counties

__all__ = ["census_counties", "census_data_hash", "census_licence", "census_raw", "provinces",
           "provinces_data_hash",
           "provinces_framework", "provinces_sources", "synthetic_counties"]
