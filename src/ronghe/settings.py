"""Study settings: one validated object that round-trips to YAML and carries a hash.

Every choice that changes a number lives here, with the default the field expects stated, so a result can
be reproduced from its settings file alone (``Settings.from_yaml(result.settings.to_yaml())``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ronghe.errors import InputError


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Treatment(_Model):
    """Missing values and outliers, applied to indicator values before normalisation."""

    imputation: Literal["linear", "parent_mean", "none"] = Field(
        "linear",
        description="linear: within a region over years, then parent-region mean; "
        "parent_mean: mean of the parent region's units in the same year; none: missing is an error",
    )
    outliers: Literal["coinr", "none"] = Field(
        "coinr",
        description="coinr: |skew| > skew_max and kurtosis > kurt_max -> winsorise up to "
        "max_winsor points, then log (JRC/COINr rule)",
    )
    skew_max: float = 2.0
    kurt_max: float = 3.5
    max_winsor: int = 5


class Normalization(_Model):
    """How indicator values become comparable scores in [0, 1]."""

    method: Literal["minmax", "zscore", "rank", "target"] = "minmax"
    scope: Literal["global", "year"] = Field(
        "global",
        description="global: anchors pooled over all years (comparable over time); "
        "year: each year normalised on its own",
    )
    shift: float = Field(
        1e-4, ge=0, lt=1, description="keeps scores away from 0 so ln 0 never occurs"
    )
    shift_mode: Literal["affine", "add"] = Field(
        "affine",
        description="affine: shift + (1 - shift) * z, scores in [shift, 1]; add: z + shift",
    )


class Weighting(_Model):
    """Indicator and dimension weights; computed globally over all region-years of the panel."""

    indicators: Literal["framework", "entropy", "critic", "cv", "equal", "fixed", "combined"] = (
        Field("framework", description="framework: the method the framework file names")
    )
    combine: list[Literal["entropy", "critic", "cv", "equal"]] = Field(
        default_factory=lambda: ["entropy", "critic"]
    )
    combine_method: Literal["multiplicative", "linear", "game"] = "multiplicative"
    fixed: dict[str, float] | None = Field(
        None, description="indicator id -> weight (method fixed)"
    )
    dimensions: Literal["framework", "sum", "equal", "ahp", "fixed"] = Field(
        "framework", description="sum: a dimension weighs the sum of its indicators' weights"
    )
    cap: float | None = Field(
        2.0,
        ge=1.0,
        description="no data-driven indicator weight (entropy, critic, cv, combined) above cap x "
        "the equal share (1/k over the k indicators with a positive weight); the excess is "
        "shared among the others in proportion "
        "(methods.cap_weights); null: uncapped. Fixed and equal weights are never capped",
    )
    dimension_fixed: dict[str, float] | None = None
    ahp_matrix: list[list[float]] | None = Field(
        None, description="pairwise comparison matrix of the dimensions, in framework order"
    )


class Coupling(_Model):
    formula: Literal["classic", "corrected"] = Field(
        "classic",
        description="classic C = n[prod U / (sum U)^n]^(1/n); corrected: Wang Shujia et al. 2021",
    )
    alpha: list[float] | None = Field(
        None, description="contribution of each dimension to T; equal if empty"
    )
    type_tolerance: float = Field(0.1, description="two subsystems: |U1 - U2| above this is a lag")


class Settings(_Model):
    """All choices of a study. ``Settings()`` gives the documented defaults."""

    framework: str = "seed"
    years: list[int] | None = None
    treatment: Treatment = Field(default_factory=Treatment)
    normalization: Normalization = Field(default_factory=Normalization)
    weighting: Weighting = Field(default_factory=Weighting)
    aggregation: Literal["arithmetic", "geometric", "topsis"] = Field(
        "arithmetic",
        description="composite and dimension scores; TOPSIS closeness is always reported",
    )
    coupling: Coupling = Field(default_factory=Coupling)
    top_obstacles: int = Field(5, ge=1, le=20)

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.weighting.indicators == "fixed" and not self.weighting.fixed:
            raise ValueError("weighting.indicators is 'fixed' but weighting.fixed is empty")
        if self.weighting.dimensions == "ahp" and not self.weighting.ahp_matrix:
            raise ValueError("weighting.dimensions is 'ahp' but weighting.ahp_matrix is empty")
        return self

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json"), allow_unicode=True, sort_keys=True)

    @property
    def hash(self) -> str:
        """First 12 hex digits of the SHA-256 of the canonical YAML."""
        return hashlib.sha256(self.to_yaml().encode()).hexdigest()[:12]

    @classmethod
    def from_yaml(cls, text: str, file: str | None = None) -> Settings:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML ({exc.__class__.__name__})", file=file) from None
        if not isinstance(data, dict):
            raise InputError("settings must be a mapping", file=file)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"]) or "settings"
            raise InputError(f"{where}: {err['msg']}", file=file) from None

    @classmethod
    def load(cls, path: str | Path) -> Settings:
        p = Path(path)
        if not p.exists():
            raise InputError("settings file not found", file=str(p))
        return cls.from_yaml(p.read_text(encoding="utf-8"), file=str(p))
