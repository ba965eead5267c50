"""Regions: administrative division codes and their hierarchy, code changes between vintages
(``crosswalk``, ``harmonize``) and boundaries (``boundaries``, needs the ``maps`` extra)."""

from ronghe.regions.boundaries import boundaries
from ronghe.regions.crosswalk import code_map, crosswalk
from ronghe.regions.divisions import COUNTY_TYPES, LEVELS, divisions, province_names
from ronghe.regions.harmonize import harmonize

__all__ = [
    "COUNTY_TYPES",
    "LEVELS",
    "boundaries",
    "code_map",
    "crosswalk",
    "divisions",
    "harmonize",
    "province_names",
]
