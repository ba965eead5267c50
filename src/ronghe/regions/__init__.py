"""Regions: administrative division codes and their hierarchy (``divisions``), every code since 1981
with its years of use and successors (``history``), crosswalks between any two vintages
(``crosswalk``), panels put onto one vintage (``harmonize``) and boundaries (``boundaries``, needs the
``maps`` extra)."""

from ronghe.regions.boundaries import boundaries
from ronghe.regions.crosswalk import code_map, crosswalk, unexplained
from ronghe.regions.divisions import COUNTY_TYPES, LEVELS, divisions, province_names
from ronghe.regions.harmonize import harmonize, unit_map

__all__ = [
    "COUNTY_TYPES",
    "LEVELS",
    "boundaries",
    "code_map",
    "crosswalk",
    "divisions",
    "harmonize",
    "province_names",
    "unexplained",
    "unit_map",
]
