"""The indicator-framework file format, as pydantic v2 models.

A framework file is YAML with these top-level keys::

    framework:   {id, name_zh, name_en, description_zh, description_en, level}
    coupling:    {alpha: [weights of the dimensions in coupling, summing to 1] or null (equal)}
    weighting:   {indicators: entropy|critic|cv|equal|ahp|fixed|"entropy*critic" (a product
                  combination of two or more of entropy, critic, cv, equal),
                  dimensions: sum|equal|fixed}
    variables:   [{id, name_zh, name_en, unit, merge: sum|mean|popweighted}, ...]   (optional)
    dimensions:  [{id, name_zh, name_en, weight, indicators: [...]}, ...]

Each indicator has ``id`` (snake_case), ``name_zh``, ``name_en``, ``unit``, exactly one of
``direction`` (``"+"`` or ``"-"``; quote them in YAML) and ``target`` (best at that value),
``tags`` (``pillar`` P1–P4, ``mechanism`` M1–M4, ``value`` V1–V4, ``obstacle`` O1–O4,
``subsystem`` urban|rural), an optional ``formula`` over raw variables (see
:mod:`ronghe.frameworks.formula`), an optional fixed ``weight``, ``source``, ``availability``
(Y routinely published, P partly, N administrative data only) and ``note``. An indicator without a
formula is read directly from the raw variable of the same id.

When ``variables`` is given, every raw variable the indicators read must be declared there (it is
the catalogue ingest uses: names, units and how to combine values when counties merge).

Validation errors name the YAML path with 0-based list positions, e.g.
``dimensions[2].indicators[3].target``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from ronghe.errors import FrameworkError, InputError
from ronghe.frameworks.formula import Evaluator, Formula, parse

SNAKE = r"^[a-z][a-z0-9_]*$"
TAG_KINDS = ("pillar", "mechanism", "value", "obstacle", "subsystem")
BASE_METHODS = ("entropy", "critic", "cv", "equal", "ahp", "fixed")
COMBINABLE = ("entropy", "critic", "cv", "equal")
_DIRECTION_WORDS = {"+": "+", "-": "-", "−": "-", "positive": "+", "negative": "-"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Info(_Model):
    """Identity of the framework."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    name_zh: str
    name_en: str
    description_zh: str = ""
    description_en: str = ""
    level: Literal["county", "prefecture", "province", "any"] = "county"


class Coupling(_Model):
    """Contribution of each dimension to the comprehensive index T of coupling coordination."""

    alpha: list[Annotated[float, Field(ge=0)]] | None = None

    @field_validator("alpha")
    @classmethod
    def _sums_to_one(cls, v: list[float] | None) -> list[float] | None:
        if v is not None and abs(sum(v) - 1.0) > 1e-6:
            raise ValueError(f"alpha must sum to 1 (sums to {sum(v):.6g})")
        return v


class Weighting(_Model):
    """How indicator weights and dimension weights are obtained."""

    indicators: str = "entropy"
    dimensions: Literal["sum", "equal", "fixed"] = "sum"

    @field_validator("indicators")
    @classmethod
    def _known_method(cls, v: str) -> str:
        parts = [p.strip() for p in v.split("*")]
        if len(parts) == 1 and parts[0] in BASE_METHODS:
            return parts[0]
        if len(parts) > 1 and all(p in COMBINABLE for p in parts) and len(set(parts)) == len(parts):
            return "*".join(parts)
        raise ValueError(f"unknown method {v!r}: use one of {', '.join(BASE_METHODS)} or a "
                         f"combination such as 'entropy*critic' of {', '.join(COMBINABLE)}")


class Variable(_Model):
    """A raw variable as collected (the catalogue entry ingest uses)."""

    id: Annotated[str, Field(pattern=SNAKE)]
    name_zh: str
    name_en: str
    unit: str
    merge: Literal["sum", "mean", "popweighted"]


class Tags(_Model):
    """Where an indicator sits in the seed papers' system (see FRAMEWORK.md)."""

    pillar: list[Literal["P1", "P2", "P3", "P4"]] = Field(default_factory=list)
    mechanism: list[Literal["M1", "M2", "M3", "M4"]] = Field(default_factory=list)
    value: list[Literal["V1", "V2", "V3", "V4"]] = Field(default_factory=list)
    obstacle: list[Literal["O1", "O2", "O3", "O4"]] = Field(default_factory=list)
    subsystem: list[Literal["urban", "rural"]] = Field(default_factory=list)


class Indicator(_Model):
    """One indicator: how to compute it from raw variables and which way is better."""

    id: Annotated[str, Field(pattern=SNAKE)]
    name_zh: str
    name_en: str
    unit: str
    direction: Literal["+", "-"] | None = None
    target: float | None = Field(None, validate_default=True)
    tags: Tags = Field(default_factory=Tags)
    formula: str | None = None
    weight: Annotated[float, Field(ge=0)] | None = None
    source: str = ""
    availability: Literal["Y", "P", "N"] = "Y"
    note: str = ""
    _formula: Formula | None = PrivateAttr(None)

    @field_validator("direction", mode="before")
    @classmethod
    def _direction_word(cls, v: object) -> object:
        return _DIRECTION_WORDS.get(v.strip().lower(), v) if isinstance(v, str) else v

    @field_validator("target")
    @classmethod
    def _one_of_direction_target(cls, v: float | None, info: ValidationInfo) -> float | None:
        if "direction" not in info.data:  # the direction itself failed; reported there
            return v
        if v is not None and info.data["direction"] is not None:
            raise ValueError("give either direction or target, not both")
        if v is None and info.data["direction"] is None:
            raise ValueError("give a direction ('+' or '-') or a target value")
        return v

    @field_validator("formula")
    @classmethod
    def _valid_formula(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                parse(v)
            except FrameworkError as exc:
                raise ValueError(str(exc)) from None
        return v

    @model_validator(mode="after")
    def _keep_parsed(self) -> Indicator:
        self._formula = parse(self.formula) if self.formula is not None else None
        return self

    @property
    def parsed_formula(self) -> Formula | None:
        """The parsed formula, or None when the indicator is read directly."""
        return self._formula

    @property
    def raw_variables(self) -> set[str]:
        """Raw variables this indicator reads: the formula's, or its own id without a formula."""
        return set(self._formula.variables) if self._formula is not None else {self.id}

    @property
    def best(self) -> str | float:
        """``"+"``, ``"-"`` or the target value."""
        return self.target if self.target is not None else self.direction  # type: ignore[return-value]


class Dimension(_Model):
    """A group of indicators; dimensions are the subsystems of coupling coordination."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
    name_zh: str
    name_en: str
    weight: Annotated[float, Field(ge=0)] | None = None
    indicators: Annotated[list[Indicator], Field(min_length=1)]


def _where(*loc: str | int) -> str:
    """Format a location tuple as a YAML path: ``dimensions[2].indicators[3].id``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_framework(fw: Framework) -> None:
    """Cross-field checks pydantic cannot express per field; raise FrameworkError with a path."""
    seen_dims: dict[str, int] = {}
    seen_ind: dict[str, str] = {}
    declared: set[str] = set()
    for k, var in enumerate(fw.variables):
        if var.id in declared:
            raise FrameworkError(f"{_where('variables', k, 'id')}: duplicate variable {var.id!r}")
        declared.add(var.id)
    for d, dim in enumerate(fw.dimensions):
        if dim.id in seen_dims:
            raise FrameworkError(f"{_where('dimensions', d, 'id')}: duplicate dimension "
                                 f"{dim.id!r} (also dimensions[{seen_dims[dim.id]}])")
        seen_dims[dim.id] = d
        if fw.weighting.dimensions == "fixed" and dim.weight is None:
            raise FrameworkError(f"{_where('dimensions', d, 'weight')}: weighting.dimensions is "
                                 "'fixed', so every dimension needs a weight")
        for i, ind in enumerate(dim.indicators):
            here = ("dimensions", d, "indicators", i)
            if ind.id in seen_ind:
                raise FrameworkError(f"{_where(*here, 'id')}: duplicate indicator {ind.id!r} "
                                     f"(also {seen_ind[ind.id]})")
            seen_ind[ind.id] = _where(*here)
            if fw.weighting.indicators == "fixed" and ind.weight is None:
                raise FrameworkError(f"{_where(*here, 'weight')}: weighting.indicators is "
                                     "'fixed', so every indicator needs a weight")
            if declared:
                for name in sorted(ind.raw_variables - declared):
                    field = "formula" if ind.formula is not None else "id"
                    raise FrameworkError(f"{_where(*here, field)}: raw variable {name!r} is not "
                                         "declared under variables")
    alpha = fw.coupling.alpha
    if alpha is not None and len(alpha) != len(fw.dimensions):
        raise FrameworkError(f"coupling.alpha: has {len(alpha)} weights for "
                             f"{len(fw.dimensions)} dimensions")


def format_validation_error(errors: Sequence[ErrorDetails]) -> str:
    """One line from pydantic's first error: ``path: message``."""
    err = errors[0]
    msg = re.sub(r"^(Value error|Assertion failed), ", "", str(err["msg"]))
    loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
    path = _where(*loc)
    return f"{path}: {msg}" if path else msg


class Framework(_Model):
    """An indicator framework: the validated file plus what a study needs from it.

    Indicator order is file order (dimension by dimension); every list-returning method is
    aligned with :attr:`indicator_ids`.
    """

    info: Info = Field(alias="framework")
    coupling: Coupling = Field(default_factory=Coupling)
    weighting: Weighting = Field(default_factory=Weighting)
    variables: list[Variable] = Field(default_factory=list)
    dimensions: Annotated[list[Dimension], Field(min_length=1)]

    @model_validator(mode="after")
    def _cross_checks(self) -> Framework:
        check_framework(self)  # raises FrameworkError, which pydantic lets through unchanged
        return self

    # ---------------------------------------------------------------- structure
    @property
    def id(self) -> str:
        return self.info.id

    @property
    def indicators(self) -> list[Indicator]:
        """All indicators, flat, in file order."""
        return [ind for dim in self.dimensions for ind in dim.indicators]

    @property
    def indicator_ids(self) -> list[str]:
        return [ind.id for ind in self.indicators]

    @property
    def dimension_of(self) -> dict[str, str]:
        """Indicator id -> dimension id."""
        return {ind.id: dim.id for dim in self.dimensions for ind in dim.indicators}

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id (FrameworkError if there is none)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise FrameworkError(f"framework {self.id!r} has no indicator {indicator_id!r}")

    def directions(self) -> list[str | float]:
        """``"+"``, ``"-"`` or the target value of each indicator."""
        return [ind.best for ind in self.indicators]

    def tags(self, kind: str) -> list[str | None]:
        """The first tag of ``kind`` (pillar, mechanism, value, obstacle, subsystem) per indicator,
        None where the indicator has none."""
        if kind not in TAG_KINDS:
            raise FrameworkError(f"unknown tag kind {kind!r}: use one of {', '.join(TAG_KINDS)}")
        return [next(iter(getattr(ind.tags, kind)), None) for ind in self.indicators]

    # ---------------------------------------------------------------- settings a study reads
    def weighting_method(self) -> str:
        """The indicator weighting method; ``"combined"`` for a product such as entropy*critic
        (its parts are :meth:`combine_methods`)."""
        return "combined" if "*" in self.weighting.indicators else self.weighting.indicators

    def combine_methods(self) -> list[str]:
        """The parts of a combined weighting (``["entropy", "critic"]``), else the single method."""
        return self.weighting.indicators.split("*")

    def dimension_weighting(self) -> str:
        return self.weighting.dimensions

    def fixed_weights(self) -> dict[str, float]:
        """Indicator id -> fixed weight, for indicators that give one."""
        return {ind.id: ind.weight for ind in self.indicators if ind.weight is not None}

    def coupling_alpha(self) -> list[float] | None:
        return None if self.coupling.alpha is None else list(self.coupling.alpha)

    # ---------------------------------------------------------------- data
    def raw_variables(self) -> set[str]:
        """Raw variables the indicators read (formula variables, or the id without a formula)."""
        return set().union(*(ind.raw_variables for ind in self.indicators))

    def missing(self, columns: list[str] | set[str]) -> list[tuple[str, str]]:
        """``(indicator, variable)`` pairs that cannot be computed from these columns.

        An indicator whose own id is a column needs nothing else (the user supplied it).
        """
        have = set(map(str, columns))
        out: list[tuple[str, str]] = []
        for ind in self.indicators:
            if ind.id not in have:
                out.extend((ind.id, var) for var in sorted(ind.raw_variables - have))
        return out

    def require(self, columns: list[str] | set[str], file: str | None = None) -> None:
        """Raise one InputError naming every raw variable these columns lack (not only the first),
        each with the indicators that need it, so one run tells the user all that is missing."""
        gaps = self.missing(columns)
        if not gaps:
            return
        needed: dict[str, list[str]] = {}
        for indicator, variable in gaps:
            needed.setdefault(variable, []).append(indicator)
        listed = "; ".join(f"{v!r} ({', '.join(map(repr, inds))})"
                           for v, inds in sorted(needed.items()))
        raise InputError(
            f"缺少框架 {self.id} 所需的 {len(needed)} 个原始变量 / the data lacks {len(needed)} raw "
            f"variable(s) framework {self.id} needs (variable (indicators)): {listed}; "
            f"`ronghe template {self.id}` 写出模板 writes a template with all of them",
            file=file,
        )

    def compute(self, data: pd.DataFrame) -> pd.DataFrame:
        """Indicator values from raw variables, one column per indicator (in indicator order).

        ``data`` is indexed by ``(region, year)``. An indicator whose id is a column of ``data`` is
        taken as given; otherwise its formula is evaluated (``inf``/``NaN`` from undefined
        arithmetic are kept for the study to report). Raises InputError naming every absent raw
        variable (:meth:`require`).
        """
        return pd.DataFrame(self.compute_array(data), index=data.index,
                            columns=self.indicator_ids, copy=False)

    def compute_array(self, data: pd.DataFrame) -> np.ndarray:
        """:meth:`compute` as one float64 (n, k) array of its own, columns contiguous, filled
        indicator by indicator (no frame of columns to consolidate: the panel's indicator values
        are held once)."""
        self.require(list(data.columns))
        out = np.empty((len(data), len(self.indicators)), order="F")
        evaluator = Evaluator(data)  # columns and lag rows shared by the formulas
        for j, ind in enumerate(self.indicators):
            if ind.id in data.columns or ind.parsed_formula is None:
                out[:, j] = data[ind.id].to_numpy(dtype=float)
            else:
                out[:, j] = ind.parsed_formula.values(data, evaluator)
        return out

    def to_yaml(self) -> str:
        """The framework as YAML in the file format (loads back to an equal framework)."""
        body = self.model_dump(by_alias=True, exclude_defaults=True, mode="json")
        return yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=100)
