"""China's four macro-regions (四大区域) by two-digit province code, and the provinces' English names.

The grouping is the National Bureau of Statistics' standard one (国家统计局《东西中部和东北地区划分方法》,
2011), used in its yearbooks and in most regional-disparity studies:

- east 东部 (10): Beijing 11, Tianjin 12, Hebei 13, Shanghai 31, Jiangsu 32, Zhejiang 33, Fujian 35,
  Shandong 37, Guangdong 44, Hainan 46;
- central 中部 (6): Shanxi 14, Anhui 34, Jiangxi 36, Henan 41, Hubei 42, Hunan 43;
- west 西部 (12): Inner Mongolia 15, Guangxi 45, Chongqing 50, Sichuan 51, Guizhou 52, Yunnan 53,
  Tibet 54, Shaanxi 61, Gansu 62, Qinghai 63, Ningxia 64, Xinjiang 65;
- northeast 东北 (3): Liaoning 21, Jilin 22, Heilongjiang 23.

Taiwan (71), Hong Kong (81) and Macao (82) belong to none of the four. English province names are
the usual ones (pinyin, with Inner Mongolia and Tibet), for labels of English figures that must not
depend on a CJK font.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ronghe.errors import InputError

__all__ = [
    "MACRO_REGIONS",
    "MACRO_REGION_NAMES",
    "MACRO_REGION_OF",
    "PROVINCE_NAMES_EN",
    "macro_region",
    "macro_regions_of",
]

MACRO_REGIONS: dict[str, tuple[str, ...]] = {
    "east": ("11", "12", "13", "31", "32", "33", "35", "37", "44", "46"),
    "central": ("14", "34", "36", "41", "42", "43"),
    "west": ("15", "45", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"),
    "northeast": ("21", "22", "23"),
}

#: (zh, en) name of each macro-region, in the NBS order east, central, west, northeast.
MACRO_REGION_NAMES: dict[str, tuple[str, str]] = {
    "east": ("东部", "East"),
    "central": ("中部", "Central"),
    "west": ("西部", "West"),
    "northeast": ("东北", "Northeast"),
}

PROVINCE_NAMES_EN: dict[str, str] = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Tibet", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang",
}

#: Macro-region id by two-digit province code (the 31 mainland provinces).
MACRO_REGION_OF: dict[str, str] = {p: r for r, provs in MACRO_REGIONS.items() for p in provs}


def macro_region(province: str) -> str:
    """Macro-region id (east, central, west, northeast) of a two-digit province code."""
    code = str(province).strip()[:2]
    try:
        return MACRO_REGION_OF[code]
    except KeyError:
        raise InputError(
            f"省级代码 {province!r} 不属于四大区域 / province code {province!r} belongs to none of "
            "the four macro-regions (east, central, west, northeast)",
            column="province",
            value=province,
        ) from None


def macro_regions_of(provinces: Iterable[str]) -> np.ndarray:
    """Macro-region ids for many province codes (object array, same order)."""
    return np.array([macro_region(p) for p in provinces], dtype=object)
