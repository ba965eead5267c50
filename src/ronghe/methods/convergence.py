"""σ-convergence and β-convergence of a regional panel (Barro & Sala-i-Martin 1992, J. Polit. Econ.
100: 223-251; Sala-i-Martin 1996, Econ. J. 106: 1019-1036).

Input is a balanced panel Y of shape (regions, years) with strictly positive values and the
strictly increasing years. Logarithms are natural. Regression standard errors are the classical
(homoskedastic) OLS ones, σ̂² (X'X)⁻¹ with σ̂² = RSS / (n_obs - parameters); no clustering or
robust correction. Least squares is solved via a QR factorisation in NumPy.

Why hand-written: the regressions are tiny and fixed in form; statsmodels (a test oracle here) would
add a heavy dependency to the kernel for a few lines of linear algebra.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import linalg, stats

from ronghe.methods._checks import as_array, as_matrix, as_vector, fail

__all__ = ["BetaResult", "SigmaResult", "beta_convergence", "sigma_convergence"]


def _panel(Y: ArrayLike, years: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    arr = as_matrix(Y, "Y", allow_nan=True)
    if arr.shape[1] < 2:
        raise fail(
            f"Y 须为（地区, 年份）矩阵且至少 2 年，实为形状 {arr.shape}",
            f"Y must be (regions, years) with at least 2 years, got {arr.shape}",
        )
    yrs = as_vector(years, "years", arr.shape[1])
    if (np.diff(yrs) <= 0).any():
        raise fail("years 须严格递增", "years must be finite and strictly increasing")
    bad = np.isnan(arr) | (arr <= 0)
    if bad.any():
        r, c = (int(v[0]) for v in np.nonzero(bad))
        raise fail(
            f"Y 须为有限正数（要取对数）；地区第 {r} 行、{yrs[c]:g} 年为 {arr[r, c]!r}",
            f"Y must be finite and positive (logs are taken); region row {r}, year {yrs[c]:g} "
            f"is {arr[r, c]!r}",
        )
    return arr, yrs


@dataclass(frozen=True)
class SigmaResult:
    """Per-year dispersion and its linear time trend (negative slope = σ-convergence)."""

    years: NDArray[np.float64]
    sigma: NDArray[np.float64]  #: standard deviation of ln y across regions, per year
    cv: NDArray[np.float64]  #: coefficient of variation of y, per year
    slope: float  #: trend of sigma per year
    intercept: float
    slope_std_error: float
    p_value: float  #: two-sided test of slope = 0
    r_squared: float
    cv_slope: float
    cv_p_value: float
    ddof: int


def sigma_convergence(Y: ArrayLike, years: ArrayLike, *, ddof: int = 0) -> SigmaResult:
    """σ-convergence: σ_t = sd(ln y_it over regions i) and CV_t = sd(y_t)/mean(y_t) for each year,
    with the OLS trend σ_t = a + b·t (scipy.stats.linregress; also for CV). b < 0 with a small
    p-value indicates σ-convergence. Standard deviations use ``ddof`` (default 0, population form
    over all regions; needs at least 3 years for a trend test)."""
    arr, yrs = _panel(Y, years)
    if yrs.size < 3:
        raise fail("σ 收敛趋势检验至少需要 3 年", "σ-convergence trend test needs at least 3 years")
    if arr.shape[0] <= ddof:
        raise fail(f"地区数须多于 ddof={ddof}", f"need more than ddof={ddof} regions")
    sigma = np.log(arr).std(axis=0, ddof=ddof)
    cv = arr.std(axis=0, ddof=ddof) / arr.mean(axis=0)
    fit = stats.linregress(yrs, sigma)
    cv_fit = stats.linregress(yrs, cv)
    return SigmaResult(years=yrs, sigma=sigma, cv=cv, slope=float(fit.slope),
                       intercept=float(fit.intercept), slope_std_error=float(fit.stderr),
                       p_value=float(fit.pvalue), r_squared=float(fit.rvalue**2),
                       cv_slope=float(cv_fit.slope), cv_p_value=float(cv_fit.pvalue), ddof=ddof)


@dataclass(frozen=True)
class BetaResult:
    """β-convergence regression. Coefficient arrays follow ``names``."""

    form: Literal["cross-section", "panel"]
    fixed_effects: bool
    names: tuple[str, ...]  #: "const" (absent with fixed effects), "beta", "control_0", ...
    coefficients: NDArray[np.float64]
    std_errors: NDArray[np.float64]
    t_values: NDArray[np.float64]
    p_values: NDArray[np.float64]
    r_squared: float  #: within R² (after demeaning) when fixed_effects
    n_obs: int
    df_resid: int
    interval: float  #: τ, years covered by one growth rate
    speed: float | None  #: λ = -ln(1 + βτ)/τ; None when 1 + βτ ≤ 0
    half_life: float | None  #: ln 2 / λ; None unless λ > 0

    def _at(self, arr: NDArray[np.float64]) -> float:
        return float(arr[self.names.index("beta")])

    @property
    def beta(self) -> float:
        """β, the coefficient of the initial log level."""
        return self._at(self.coefficients)

    @property
    def beta_std_error(self) -> float:
        """Classical standard error of β."""
        return self._at(self.std_errors)

    @property
    def beta_t(self) -> float:
        """t value of β."""
        return self._at(self.t_values)

    @property
    def beta_p(self) -> float:
        """Two-sided p-value of β = 0."""
        return self._at(self.p_values)


def _ols(X: NDArray[np.float64], y: NDArray[np.float64], df_resid: int,
         centred_tss: bool) -> tuple[NDArray[np.float64], ...]:
    """Coefficients, classical s.e., t, two-sided p and R² (TSS centred unless the data were
    demeaned already)."""
    if df_resid <= 0:
        raise fail(
            f"观测数太少，无法回归（残差自由度 {df_resid}）",
            f"too few observations for the regression (residual df {df_resid})",
        )
    q, r = np.linalg.qr(X)
    diag = np.abs(np.diag(r))
    if diag.min() <= 1e-10 * max(diag.max(), 1.0):
        raise fail(
            "回归变量共线（某控制变量为常数或与另一变量重复）",
            "regressors are collinear (a control is constant or duplicates another)",
        )
    coef = linalg.solve_triangular(r, q.T @ y)
    resid = y - X @ coef
    rss = float(resid @ resid)
    r_inv = linalg.solve_triangular(r, np.eye(r.shape[0]))
    se = np.sqrt(rss / df_resid * np.sum(r_inv * r_inv, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):  # exact fit: se = 0, |t| = inf, p = 0
        t = np.where(se > 0, coef / se, np.copysign(np.inf, coef))
    p = 2.0 * stats.t.sf(np.abs(t), df_resid)
    yc = y - y.mean() if centred_tss else y
    r2 = 1.0 - rss / float(yc @ yc)
    return coef, se, t, p, np.array(r2)


def _controls(controls: ArrayLike | None, shape: tuple[int, ...]) -> NDArray[np.float64]:
    if controls is None:
        return np.zeros((*shape, 0))
    c = as_array(controls, "controls")
    if c.shape == shape:
        c = c[..., None]
    if c.ndim != len(shape) + 1 or c.shape[:-1] != shape:
        raise fail(
            f"controls 形状须为 {shape} + (m,)，实为 {c.shape}",
            f"controls must have shape {shape} + (m,), got {c.shape}",
        )
    if not np.isfinite(c).all():
        raise fail("controls 含缺失或无穷值", "controls have missing or infinite values")
    return c


def _two_way_demean(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """a[i, t, ...] - mean over t - mean over i + grand mean (balanced panel)."""
    return a - a.mean(axis=1, keepdims=True) - a.mean(axis=0, keepdims=True) + a.mean(axis=(0, 1))


def beta_convergence(Y: ArrayLike, years: ArrayLike, controls: ArrayLike | None = None,
                     fixed_effects: bool = False, *,
                     form: Literal["cross-section", "panel"] = "cross-section") -> BetaResult:
    """β-convergence: regress growth on the initial log level; β < 0: poorer regions grow faster.

    - ``form="cross-section"``: (ln y_i,T1 - ln y_i,T0)/τ = α + β ln y_i,T0 + γ'z_i + ε_i with
      τ = T1 - T0 the whole span; controls z of shape (regions, m) (or (regions,)), measured at the
      start. Absolute convergence without controls, conditional with them.
    - ``form="panel"``: (ln y_i,t+1 - ln y_it)/Δ = α + β ln y_it + γ'z_it + ε_it over every pair of
      consecutive years; years must be equally spaced by Δ (τ = Δ, usually 1). Controls have shape
      (regions, years, m) (or (regions, years)); the value at the start year t of each interval is
      used. ``fixed_effects=True`` adds region and year effects by two-way demeaning of the balanced
      panel (no intercept; residual df also subtracts the regions + years - 1 absorbed effects).

    Convergence speed λ = -ln(1 + βτ)/τ (with τ = 1 this is -ln(1 + β)) and half-life ln 2/λ.
    """
    arr, yrs = _panel(Y, years)
    n, T = arr.shape
    logs = np.log(arr)
    if form == "cross-section":
        if fixed_effects:
            raise fail(
                "固定效应须用 form='panel'（截面每个地区只有一个观测）",
                "fixed effects need form='panel' (one observation per region)",
            )
        tau = float(yrs[-1] - yrs[0])
        growth = (logs[:, -1] - logs[:, 0]) / tau
        z = _controls(controls, (n,))
        X = np.column_stack([np.ones(n), logs[:, 0], z])
        names = ("const", "beta", *(f"control_{j}" for j in range(z.shape[1])))
        n_obs = n
        df_resid = n - X.shape[1]
        coef, se, t, p, r2 = _ols(X, growth, df_resid, centred_tss=True)
    elif form == "panel":
        steps = np.diff(yrs)
        if not np.allclose(steps, steps[0]):
            raise fail("面板形式要求年份等间隔", "the panel form needs equally spaced years")
        tau = float(steps[0])
        growth = np.diff(logs, axis=1) / tau  # (n, T-1)
        level = logs[:, :-1]
        z = _controls(controls, (n, T))[:, :-1, :]
        n_obs = n * (T - 1)
        if fixed_effects:
            growth, level, z = (_two_way_demean(a) for a in (growth, level, z))
            X = np.column_stack([level.ravel(), z.reshape(n_obs, -1)])
            names = ("beta", *(f"control_{j}" for j in range(z.shape[2])))
            df_resid = n_obs - X.shape[1] - (n - 1) - (T - 2) - 1
        else:
            X = np.column_stack([np.ones(n_obs), level.ravel(), z.reshape(n_obs, -1)])
            names = ("const", "beta", *(f"control_{j}" for j in range(z.shape[2])))
            df_resid = n_obs - X.shape[1]
        coef, se, t, p, r2 = _ols(X, growth.ravel(), df_resid, centred_tss=not fixed_effects)
    else:
        raise fail(
            f"form 须为 'cross-section' 或 'panel'（{form!r}）",
            f"form must be 'cross-section' or 'panel', got {form!r}",
        )
    beta = float(coef[names.index("beta")])
    base = 1.0 + beta * tau
    speed = -math.log(base) / tau if base > 0 else None
    half_life = math.log(2.0) / speed if speed is not None and speed > 0 else None
    return BetaResult(form=form, fixed_effects=fixed_effects, names=names, coefficients=coef,
                      std_errors=se, t_values=t, p_values=p, r_squared=float(r2), n_obs=n_obs,
                      df_resid=df_resid, interval=tau, speed=speed, half_life=half_life)
