"""The seeds' knowledge base: values, pillars, obstacles, paths, mechanisms and typology types,
in Chinese and English, each citing the seed section it rests on (see ../FRAMEWORK.md)."""

from ronghe.knowledge.loader import load_knowledge
from ronghe.knowledge.models import (
    Action,
    Entry,
    KnowledgeBase,
    Mechanism,
    ObstacleType,
    Path,
    Route,
    RouteMatch,
    SubPath,
    Triggers,
)

__all__ = [
    "Action",
    "Entry",
    "KnowledgeBase",
    "Mechanism",
    "ObstacleType",
    "Path",
    "Route",
    "RouteMatch",
    "SubPath",
    "Triggers",
    "load_knowledge",
]
