"""Regions: administrative division codes, their hierarchy and (in sibling modules) code changes
and boundaries."""

from ronghe.regions.divisions import COUNTY_TYPES, LEVELS, divisions, province_names

__all__ = ["COUNTY_TYPES", "LEVELS", "divisions", "province_names"]
