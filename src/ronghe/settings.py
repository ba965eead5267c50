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

# The names each choice accepts: exactly the names of the matching registry of ronghe.chain
# (plus "framework", which defers to the framework file); tests/core/test_chain_registries.py
# checks that they agree, so a new method is a kernel, a registry entry and its name here.
ImputationName = Literal["linear", "parent_mean", "none"]
OutlierRuleName = Literal["coinr", "none"]
NormalisationName = Literal["minmax", "zscore", "rank", "target"]
IndicatorWeightingName = Literal["framework", "entropy", "critic", "cv", "equal", "fixed", "combined"]
CombinableName = Literal["entropy", "critic", "cv", "equal"]
DimensionWeightingName = Literal["framework", "sum", "equal", "ahp", "fixed"]
AggregationName = Literal["arithmetic", "geometric", "topsis"]
CouplingFormulaName = Literal["classic", "corrected"]
COMBINE_DEFAULT: tuple[CombinableName, ...] = ("entropy", "critic")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Treatment(_Model):
    """Missing values and outliers, applied to indicator values before normalisation."""

    imputation: ImputationName = Field(
        default="linear",
        description="linear: within a region over years, then parent-region mean; "
        "parent_mean: mean of the parent region's units in the same year; none: missing is an error",
    )
    outliers: OutlierRuleName = Field(
        default="coinr",
        description="coinr: |skew| >= skew_max and kurtosis >= kurt_max -> winsorise up to "
        "max_winsor points, then log (JRC/COINr rule, check_SkewKurt)",
    )
    skew_max: float = Field(default=2.0, gt=0)
    kurt_max: float = Field(default=3.5, gt=0)
    max_winsor: int = Field(default=5, ge=0)


class Normalization(_Model):
    """How indicator values become comparable scores in [0, 1]."""

    method: NormalisationName = Field(
        default="minmax",
        description="minmax (target: the same formulas, a synonym); zscore: z-scores mapped by one "
        "affine transform common to all indicators onto [0, 1], then shifted; rank: percentile "
        "ranks. Scenarios and targets need minmax/target",
    )
    scope: Literal["global", "year"] = Field(
        default="global",
        description="global: anchors pooled over all years (comparable over time); "
        "year: each year normalised on its own",
    )
    shift: float = Field(
        default=1e-4, ge=0, lt=1, description="keeps scores away from 0 so ln 0 never occurs"
    )
    shift_mode: Literal["affine", "add"] = Field(
        default="affine",
        description="affine: shift + (1 - shift) * z, scores in [shift, 1]; add: z + shift, "
        "scores in [shift, 1 + shift] (the literature's minmax + 0.0001; obstacle deviations are "
        "then measured from 1 + shift, and D is capped at 1)",
    )

    @property
    def best(self) -> float:
        """The best attainable score: 1, or 1 + shift under the additive shift."""
        return 1.0 + self.shift if self.shift_mode == "add" else 1.0


class Weighting(_Model):
    """Indicator and dimension weights; computed globally over all region-years of the panel."""

    indicators: IndicatorWeightingName = Field(
        default="framework", description="framework: the method the framework file names"
    )
    combine: list[CombinableName] = Field(default_factory=lambda: list(COMBINE_DEFAULT), min_length=1)
    combine_method: Literal["multiplicative", "linear", "game"] = "multiplicative"
    fixed: dict[str, float] | None = Field(
        default=None, description="indicator id -> weight (method fixed)"
    )
    dimensions: DimensionWeightingName = Field(
        default="framework", description="sum: a dimension weighs the sum of its indicators' weights"
    )
    cap: float | None = Field(
        default=2.0,
        ge=1.0,
        description="no data-driven indicator weight (entropy, critic, cv, combined) above cap x "
        "the equal share (1/k over the k indicators with a positive weight); the excess is "
        "shared among the others in proportion "
        "(methods.cap_weights); null: uncapped. Fixed and equal weights are never capped",
    )
    dimension_fixed: dict[str, float] | None = None
    ahp_matrix: list[list[float]] | None = Field(
        default=None, description="pairwise comparison matrix of the dimensions, in framework order"
    )


class Coupling(_Model):
    formula: CouplingFormulaName = Field(
        default="classic",
        description="classic C = n[prod U / (sum U)^n]^(1/n); corrected: Wang Shujia et al. 2021",
    )
    alpha: list[float] | None = Field(
        default=None, description="contribution of each dimension to T; equal if empty"
    )
    type_tolerance: float = Field(
        default=0.1, ge=0, description="two subsystems: |U1 - U2| above this is a lag"
    )

    @model_validator(mode="after")
    def _check_alpha(self) -> Coupling:
        if self.alpha is not None and (
            any(a < 0 for a in self.alpha) or abs(sum(self.alpha) - 1.0) > 1e-9
        ):
            raise ValueError("coupling.alpha must be non-negative and sum to 1")
        return self


class Settings(_Model):
    """All choices of a study. ``Settings()`` gives the documented defaults."""

    framework: str = "seed"
    years: list[int] | None = None
    treatment: Treatment = Field(default_factory=Treatment)
    normalization: Normalization = Field(default_factory=Normalization)
    weighting: Weighting = Field(default_factory=Weighting)
    aggregation: AggregationName = Field(
        default="arithmetic",
        description="composite and dimension scores; TOPSIS closeness is always reported",
    )
    coupling: Coupling = Field(default_factory=Coupling)
    top_obstacles: int = Field(default=5, ge=1, le=20)

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.weighting.indicators == "fixed" and not self.weighting.fixed:
            raise ValueError("weighting.indicators is 'fixed' but weighting.fixed is empty")
        if self.weighting.dimensions == "ahp" and not self.weighting.ahp_matrix:
            raise ValueError("weighting.dimensions is 'ahp' but weighting.ahp_matrix is empty")
        for name in ("fixed", "dimension_fixed"):
            given = getattr(self.weighting, name)
            if given and (any(v < 0 for v in given.values()) or sum(given.values()) <= 0):
                raise ValueError(f"weighting.{name} must be non-negative and not all zero")
        n = self.normalization
        if self.aggregation == "geometric" and n.shift == 0 and n.method != "rank":
            raise ValueError(
                "aggregation: geometric needs normalization.shift > 0 (with shift 0 the worst "
                f"value of every indicator scores 0 under {n.method})"
            )
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
        return cls.from_dict(data, file=file)

    @classmethod
    def from_dict(cls, data: object, file: str | None = None) -> Settings:
        """Validate a mapping of settings; a refused value or combination raises InputError
        naming the setting (``normalization.method: ...``)."""
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
