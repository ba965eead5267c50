"""Forecasting kernels: the grey model GM(1,1), an exponential-smoothing baseline, and the
choice between them by hold-out error.

GM(1,1) follows Deng Julong's grey system theory (邓聚龙, 灰色系统基本方法, 1987) with the
checks used in Chinese applied work (刘思峰 et al., 灰色系统理论及其应用). It is written here
because no maintained Python library implements it together with the level-ratio check, the
shift and the posterior-error test, and because one vectorised kernel lets thousands of regions
be forecast at once.

For a series x0 of n > 3 equally spaced values:

1. accumulated series (AGO) x1_k = x0_1 + ... + x0_k;
2. background values z1_k = 0.5 (x1_k + x1_{k-1}), k = 2..n;
3. least squares of x0_k = -a z1_k + b over k = 2..n (ordinary least squares, solved in centred
   form: a = -cov(z1, x0) / var(z1), b = mean(x0) + a mean(z1));
4. time response x1hat(k+1) = (x0_1 - b/a) e^{-ak} + b/a, restored by differencing:
   x0hat(1) = x0_1 and x0hat(k+1) = (b - a x0_1) (e^a - 1)/a e^{-ak} for k >= 1. The second
   form is the same expression, written with expm1 so that a -> 0 (a constant series) tends to
   x0hat = b.

Level-ratio check. sigma_k = x0_{k-1} / x0_k (k = 2..n) must lie in the open interval
(e^{-2/(n+1)}, e^{2/(n+1)}), and every value must be positive. When a series fails, a constant
c > 0 is added before modelling and subtracted from the fitted values and forecasts. c is the
smallest shift that puts every ratio inside the interval narrowed to
|ln sigma_k| <= 0.99 * 2/(n+1) (the 1 % margin makes the minimum attainable and keeps the
shifted series strictly inside the original interval): for a pair p = x0_{k-1}, q = x0_k it is
(p - h q)/(h - 1) when p > q and (l q - p)/(1 - l) when p < q, with h = e^{0.99 * 2/(n+1)} and
l = 1/h; c is the largest of these over all pairs. These bounds also make every shifted value
positive, except for a constant series, which is shifted to 1 when it is not positive.

Posterior-error test. Residuals e_k = x0_k - x0hat_k over k = 2..n (the first point is
reproduced by construction and is left out). S1 is the standard deviation of the data (all n
points), S2 that of the residuals, both with ddof = 0 as in Deng's formulas; C = S2/S1 and
P = share of k with |e_k - mean(e)| < 0.6745 S1. Grades: good 好 (C <= 0.35 and P >= 0.95),
qualified 合格 (C <= 0.5 and P >= 0.80), barely qualified 勉强合格 (C <= 0.65 and P >= 0.70),
otherwise unqualified 不合格. A constant series (S1 = 0) is fitted exactly and gets C = 0,
P = 1. Relative errors are |e_k| / |x0_k| on the original scale, or on the shifted scale when
the original series has a zero among x0_2..x0_n.

The baseline is statsmodels' ETSModel (Hyndman et al., Forecasting with Exponential Smoothing,
2008): additive errors with Holt's additive (optionally damped) trend, and its analytic
prediction intervals.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

import numpy as np

from ronghe.methods._checks import as_matrix, as_vector, fail, warn
from ronghe.words.extras import missing_extra

__all__ = [
    "GRADE_LABELS",
    "GRADE_LIMITS",
    "MIN_POINTS",
    "RATIO_MARGIN",
    "ETSResult",
    "ForecastSelection",
    "GM11Batch",
    "GM11Result",
    "RatioBounds",
    "ets_forecast",
    "gm11",
    "gm11_many",
    "level_ratio_bounds",
    "level_ratio_shift",
    "posterior_grade",
    "select_forecast",
]

MIN_POINTS = 4  # the fewest points GM(1,1) and ETS are fitted to
RATIO_MARGIN = 0.99  # the level-ratio shift aims at this share of the admissible interval
GRADE_LABELS: dict[str, tuple[str, str]] = {
    "good": ("好", "good"),
    "qualified": ("合格", "qualified"),
    "barely": ("勉强合格", "barely qualified"),
    "unqualified": ("不合格", "unqualified"),
}
GRADE_LIMITS: tuple[tuple[str, float, float], ...] = (
    ("good", 0.35, 0.95),
    ("qualified", 0.5, 0.80),
    ("barely", 0.65, 0.70),
)


class RatioBounds(NamedTuple):
    """The open interval (low, high) that the level ratios of an n-point series must lie in."""

    low: float
    high: float


_Value = TypeVar("_Value")  #: float for one series; an array (one entry per series) for a batch
_Flag = TypeVar("_Flag")  #: bool for one series; a boolean array for a batch
_Grade = TypeVar("_Grade")  #: str for one series; an array of grades for a batch


@dataclass(frozen=True)
class _GM11Fields(Generic[_Value, _Flag, _Grade]):
    """The fields of a GM(1,1) fit, written once for :class:`GM11Result` (one series) and
    :class:`GM11Batch` (many series, one row or entry each)."""

    a: _Value
    b: _Value
    shift: _Value
    level_ratio_passed: _Flag
    level_ratio: np.ndarray
    ratio_bounds: RatioBounds
    fitted: np.ndarray
    forecast: np.ndarray
    residuals: np.ndarray
    relative_errors: np.ndarray
    relative_to_shifted: _Flag
    mean_relative_error: _Value
    C: _Value
    P: _Value
    grade: _Grade


@dataclass(frozen=True)
class GM11Result(_GM11Fields[float, bool, str]):
    """A GM(1,1) fit of one series (values on the original scale; see the module docstring).

    ``level_ratio`` holds sigma_k of the modelled (shifted) series; ``level_ratio_passed`` says
    whether the original series passed the check, in which case ``shift`` is 0. ``residuals`` and
    ``relative_errors`` cover k = 2..n.
    """

    @property
    def grade_zh(self) -> str:
        """The posterior-error grade in Chinese (好, 合格, 勉强合格, 不合格)."""
        return GRADE_LABELS[self.grade][0]

    @property
    def grade_en(self) -> str:
        """The posterior-error grade in English."""
        return GRADE_LABELS[self.grade][1]


@dataclass(frozen=True)
class GM11Batch(_GM11Fields[np.ndarray, np.ndarray, np.ndarray]):
    """GM(1,1) fits of many series at once: every field has one row (or entry) per series, with the
    meaning of the same field in :class:`GM11Result`."""

    def row(self, i: int) -> GM11Result:
        """The fit of series ``i`` as a :class:`GM11Result`."""
        return GM11Result(
            a=float(self.a[i]),
            b=float(self.b[i]),
            shift=float(self.shift[i]),
            level_ratio_passed=bool(self.level_ratio_passed[i]),
            level_ratio=self.level_ratio[i],
            ratio_bounds=self.ratio_bounds,
            fitted=self.fitted[i],
            forecast=self.forecast[i],
            residuals=self.residuals[i],
            relative_errors=self.relative_errors[i],
            relative_to_shifted=bool(self.relative_to_shifted[i]),
            mean_relative_error=float(self.mean_relative_error[i]),
            C=float(self.C[i]),
            P=float(self.P[i]),
            grade=str(self.grade[i]),
        )


def _check_count(value: object, name: str, minimum: int) -> None:
    """Reject anything but an integer >= ``minimum`` (a step count)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise fail(
            f"{name} 须为不小于 {minimum} 的整数（{value!r}）",
            f"{name} must be an integer >= {minimum}, got {value!r}",
        )


def level_ratio_bounds(n: int) -> RatioBounds:
    """The open interval (e^{-2/(n+1)}, e^{2/(n+1)}) that an n-point series' level ratios must
    lie in."""
    r = 2.0 / (n + 1)
    return RatioBounds(math.exp(-r), math.exp(r))


def level_ratio_shift(X: np.ndarray) -> np.ndarray:
    """Per row of ``X`` (series x time), the shift c the module docstring defines (0 where the row
    already passes the level-ratio check and is positive)."""
    n = X.shape[1]
    lo, hi = level_ratio_bounds(n)
    p, q = X[:, :-1], X[:, 1:]
    positive = (X > 0).all(axis=1)
    passed = positive & ((p > lo * q) & (p < hi * q)).all(axis=1)
    h = math.exp(RATIO_MARGIN * 2.0 / (n + 1))
    low = 1.0 / h
    down = np.where(p > q, (p - h * q) / (h - 1.0), -np.inf)
    up = np.where(p < q, (low * q - p) / (1.0 - low), -np.inf)
    c = np.maximum(np.maximum(down.max(axis=1), up.max(axis=1)), 0.0)
    constant = (p == q).all(axis=1)
    c = np.where(constant & (X[:, 0] <= 0), 1.0 - X[:, 0], c)
    return np.where(passed, 0.0, c)


def posterior_grade(C: np.ndarray, P: np.ndarray) -> np.ndarray:
    """Grade keys ("good", "qualified", "barely", "unqualified") of posterior-error ratios ``C``
    and small-error probabilities ``P``: the best grade whose limits both are within."""
    C, P = np.asarray(C, dtype=np.float64), np.asarray(P, dtype=np.float64)
    return np.select(
        [(C <= cmax) & (P >= pmin) for _, cmax, pmin in GRADE_LIMITS],
        [name for name, _, _ in GRADE_LIMITS],
        default="unqualified",
    )


def _gm11_rows(X: np.ndarray, horizon: int) -> GM11Batch:
    """The vectorised GM(1,1) kernel behind :func:`gm11` and :func:`gm11_many`."""
    n = X.shape[1]
    if n < MIN_POINTS:
        raise fail(
            f"GM(1,1) 至少需要 {MIN_POINTS} 个时点，当前只有 {n} 个",
            f"GM(1,1) needs at least {MIN_POINTS} time points, got {n}",
        )
    _check_count(horizon, "horizon", 0)
    c = level_ratio_shift(X)
    Xs = X + c[:, None]
    x1 = np.cumsum(Xs, axis=1)
    z = 0.5 * (x1[:, 1:] + x1[:, :-1])
    y = Xs[:, 1:]
    zc = z - z.mean(axis=1, keepdims=True)
    yc = y - y.mean(axis=1, keepdims=True)
    a = -(zc * yc).sum(axis=1) / (zc * zc).sum(axis=1)
    b = y.mean(axis=1) + a * z.mean(axis=1)
    growth = np.divide(np.expm1(a), a, out=np.ones_like(a), where=a != 0)
    k = np.arange(1, n + horizon, dtype=np.float64)
    restored = ((b - a * Xs[:, 0]) * growth)[:, None] * np.exp(-a[:, None] * k[None, :])
    path = np.concatenate([Xs[:, :1], restored], axis=1) - c[:, None]
    fitted, forecast = path[:, :n], path[:, n:]

    e = X[:, 1:] - fitted[:, 1:]
    s1 = X.std(axis=1)
    s2 = e.std(axis=1)
    flat = s1 == 0
    C = np.divide(s2, s1, out=np.zeros_like(s1), where=~flat)
    close = np.abs(e - e.mean(axis=1, keepdims=True)) < 0.6745 * s1[:, None]
    P = np.where(flat, 1.0, close.mean(axis=1))
    to_shifted = (X[:, 1:] == 0).any(axis=1)
    base = np.where(to_shifted[:, None], Xs[:, 1:], np.abs(X[:, 1:]))
    rel = np.abs(e) / base
    grade = posterior_grade(C, P)
    return GM11Batch(
        a=a,
        b=b,
        shift=c,
        level_ratio_passed=c == 0,
        level_ratio=Xs[:, :-1] / Xs[:, 1:],
        ratio_bounds=level_ratio_bounds(n),
        fitted=fitted,
        forecast=forecast,
        residuals=e,
        relative_errors=rel,
        relative_to_shifted=to_shifted,
        mean_relative_error=rel.mean(axis=1),
        C=C,
        P=P,
        grade=grade,
    )


def gm11(x0: object, horizon: int = 0) -> GM11Result:
    """Fit GM(1,1) to one equally spaced series and forecast ``horizon`` steps ahead.

    Conventions (AGO, background values, shift, C and P with ddof = 0, grades) are in the module
    docstring. A shift emits a RongheWarning stating c.

    >>> r = gm11([2.874, 3.278, 3.337, 3.390, 3.679], horizon=1)
    >>> round(r.a, 4), round(r.b, 4), r.grade
    (-0.0372, 3.0654, 'good')
    """
    x = as_vector(x0, "x0")
    batch = _gm11_rows(x[None, :], horizon)
    if batch.shift[0] > 0:
        warn(
            f"序列未通过级比检验，已平移 c = {batch.shift[0]:.6g} 后建模",
            f"series failed the level-ratio check; modelled after a shift c = {batch.shift[0]:.6g}",
        )
    return batch.row(0)


def gm11_many(Y: object, horizon: int = 0) -> GM11Batch:
    """Fit GM(1,1) to every row of ``Y`` (rows = regions, columns = equally spaced years) at once.

    Same conventions as :func:`gm11`; the least squares are solved in closed form across rows, so
    thousands of series take milliseconds. One RongheWarning states how many rows were shifted.
    """
    X = as_matrix(Y, "Y")
    batch = _gm11_rows(X, horizon)
    shifted = int((batch.shift > 0).sum())
    if shifted:
        warn(
            f"{shifted} 个序列未通过级比检验，已各自平移后建模（见 shift）",
            f"{shifted} series failed the level-ratio check and were shifted (see shift)",
        )
    return batch


@dataclass(frozen=True)
class ETSResult:
    """An ETS fit: in-sample one-step fitted values, point forecasts and prediction limits at
    ``level`` (from statsmodels' analytic intervals), and the estimated parameters by name."""

    fitted: np.ndarray
    forecast: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    level: float
    trend: str | None
    damped: bool
    params: dict[str, float]


def ets_forecast(
    y: object,
    horizon: int,
    trend: str | None = "add",
    damped: bool = False,
    level: float = 0.95,
) -> ETSResult:
    """Exponential smoothing with additive errors: Holt's linear trend (``trend="add"``), its damped
    form (``damped=True``) or simple smoothing (``trend=None``), fitted by maximum likelihood with
    statsmodels' ETSModel; intervals are statsmodels' analytic prediction intervals at ``level``.

    Needs at least 4 points. statsmodels wants a pandas Series here (its prediction code reads
    the index), so the array is wrapped in one; the result is plain NumPy. A convergence warning
    from the optimiser is passed on as a RongheWarning.
    """
    import pandas as pd

    try:
        from statsmodels.tools.sm_exceptions import ConvergenceWarning
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    except ImportError as exc:
        raise missing_extra("planning", exc.name) from exc

    x = as_vector(y, "y")
    n = x.shape[0]
    if n < MIN_POINTS:
        raise fail(
            f"指数平滑至少需要 {MIN_POINTS} 个时点，当前只有 {n} 个",
            f"exponential smoothing needs at least {MIN_POINTS} time points, got {n}",
        )
    if trend not in ("add", None):
        raise fail(
            f"trend 须为 'add' 或 None（{trend!r}）", f"trend must be 'add' or None, got {trend!r}"
        )
    if damped and trend is None:
        raise fail("无趋势时不能阻尼", "damped=True needs trend='add'")
    _check_count(horizon, "horizon", 0)
    if not 0 < level < 1:
        raise fail(
            f"置信水平 level 须在 (0, 1) 内（{level}）", f"level must lie in (0, 1), got {level}"
        )
    model = ETSModel(pd.Series(x), error="add", trend=trend, damped_trend=damped)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        fit = model.fit(disp=False)
    if any(issubclass(w.category, ConvergenceWarning) for w in caught):
        warn("指数平滑的参数估计未收敛", "the exponential-smoothing optimiser did not converge")
    if horizon:
        frame = fit.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=1 - level)
        mean = frame["mean"].to_numpy(dtype=np.float64)
        lower = frame["pi_lower"].to_numpy(dtype=np.float64)
        upper = frame["pi_upper"].to_numpy(dtype=np.float64)
    else:
        mean = lower = upper = np.empty(0)
    return ETSResult(
        fitted=np.asarray(fit.fittedvalues, dtype=np.float64),
        forecast=mean,
        lower=lower,
        upper=upper,
        level=level,
        trend=trend,
        damped=damped,
        params=dict(
            zip(fit.param_names, np.asarray(fit.params, dtype=np.float64).tolist(), strict=True)
        ),
    )


@dataclass(frozen=True)
class ForecastSelection:
    """The forecast of the model chosen by hold-out error, refitted on all data.

    ``holdout_errors`` maps ``"gm11"`` and ``"ets"`` to their hold-out ``mape`` (per cent, None
    when an actual value is 0) and ``rmse``; ``detail`` is the chosen model's full fit. GM(1,1)
    gives no prediction interval, so ``lower``/``upper`` are NaN when it is chosen
    (``has_interval`` False).
    """

    years: np.ndarray
    forecast: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    model: str
    criterion: str
    holdout: int
    holdout_errors: dict[str, dict[str, float | None]]
    detail: GM11Result | ETSResult

    @property
    def has_interval(self) -> bool:
        """Whether ``lower``/``upper`` hold prediction limits (only when ETS was chosen)."""
        return self.model == "ets"

    def table(self) -> dict[str, np.ndarray]:
        """Columns year, forecast, lower, upper, model (one row per forecast year)."""
        return {
            "year": self.years,
            "forecast": self.forecast,
            "lower": self.lower,
            "upper": self.upper,
            "model": np.full(self.years.shape[0], self.model),
        }


def _holdout_errors(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float | None]:
    """MAPE in per cent (None when an actual value is 0) and RMSE."""
    err = actual - predicted
    mape = None if (actual == 0).any() else float(100.0 * np.mean(np.abs(err / actual)))
    return {"mape": mape, "rmse": float(np.sqrt(np.mean(err**2)))}


def select_forecast(
    y: object,
    years: object,
    horizon_year: int,
    holdout: int = 2,
    criterion: str = "mape",
    damped: bool = False,
    level: float = 0.95,
) -> ForecastSelection:
    """Choose between GM(1,1) and Holt's ETS by hold-out error and forecast to ``horizon_year``.

    Both models are fitted to all but the last ``holdout`` points and forecast those points; the one
    with the lower ``criterion`` ("mape" or "rmse") wins (ties go to GM(1,1)) and is refitted on all
    points. ``years`` must be consecutive integers; at least ``holdout + 4`` points are needed.
    """
    x = as_vector(y, "y")
    t = as_vector(years, "years", x.shape[0])
    if criterion not in ("mape", "rmse"):
        raise fail(
            f"criterion 须为 'mape' 或 'rmse'（{criterion!r}）",
            f"criterion must be 'mape' or 'rmse', got {criterion!r}",
        )
    if (t != np.round(t)).any() or (np.diff(t) != 1).any():
        raise fail("years 须为连续整数年份", "years must be consecutive integer years")
    _check_count(holdout, "holdout", 1)
    needed = holdout + MIN_POINTS
    if x.shape[0] < needed:
        raise fail(
            f"留出 {holdout} 期检验至少需要 {needed} 个时点，当前只有 {x.shape[0]} 个",
            f"a hold-out of {holdout} needs at least {needed} points, got {x.shape[0]}",
        )
    last = int(t[-1])
    steps = int(horizon_year) - last
    if steps < 1:
        raise fail(
            f"预测年份 {horizon_year} 须晚于最后一年 {last}",
            f"horizon year {horizon_year} must be after the last year {last}",
        )
    train, test = x[:-holdout], x[-holdout:]
    errors = {
        "gm11": _holdout_errors(test, gm11(train, holdout).forecast),
        "ets": _holdout_errors(
            test, ets_forecast(train, holdout, damped=damped, level=level).forecast
        ),
    }
    gm_error, ets_error = errors["gm11"][criterion], errors["ets"][criterion]
    if gm_error is None or ets_error is None:  # only MAPE can be undefined
        raise fail(
            "留出期含 0 值，MAPE 无定义，请改用 criterion='rmse'",
            "the hold-out contains a 0, so MAPE is undefined; use criterion='rmse'",
        )
    model = "gm11" if gm_error <= ets_error else "ets"
    future = np.arange(last + 1, last + steps + 1)
    detail: GM11Result | ETSResult
    if model == "gm11":
        detail = gm11(x, steps)
        lower = upper = np.full(steps, np.nan)
    else:
        detail = ets_forecast(x, steps, damped=damped, level=level)
        lower, upper = detail.lower, detail.upper
    return ForecastSelection(
        years=future,
        forecast=detail.forecast,
        lower=lower,
        upper=upper,
        model=model,
        criterion=criterion,
        holdout=int(holdout),
        holdout_errors=errors,
        detail=detail,
    )
