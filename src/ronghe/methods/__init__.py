"""Numeric kernels of the measurement engine: NumPy arrays in, NumPy arrays out, no I/O.

Rows are region-years pooled over a panel, columns are indicators. Each function documents its
formula, conventions (ddof, log base, shift) and the paper it follows.
"""

from ronghe.methods.aggregate import (
    TopsisParts,
    topsis,
    topsis_parts,
    weighted_arithmetic,
    weighted_geometric,
)
from ronghe.methods.convergence import beta_convergence, sigma_convergence
from ronghe.methods.coupling import (
    CCD_LEVELS,
    COUPLING_STAGES,
    CcdLevel,
    ccd_grade,
    coupling_coordination,
    coupling_stage,
    development_type,
)
from ronghe.methods.density import kernel_density
from ronghe.methods.geodetector import (
    ecological_detector,
    factor_detector,
    factor_detector_many,
    interaction_detector,
    optimal_discretization,
    risk_detector,
)
from ronghe.methods.inequality import coefficient_of_variation, dagum_gini, gini, theil
from ronghe.methods.normalize import minmax_bounds, normalize
from ronghe.methods.obstacle import aggregate_obstacles, obstacle_degree
from ronghe.methods.treatment import impute_panel, treat_outliers
from ronghe.methods.weights import (
    SAATY_RI,
    AhpParts,
    CriticParts,
    CvParts,
    EntropyParts,
    ahp_parts,
    ahp_weights,
    cap_weights,
    combine_weights,
    critic_parts,
    critic_weights,
    cv_parts,
    cv_weights,
    entropy_parts,
    entropy_weights,
    equal_weights,
)

__all__ = [
    "CCD_LEVELS",
    "COUPLING_STAGES",
    "SAATY_RI",
    "AhpParts",
    "CcdLevel",
    "CriticParts",
    "CvParts",
    "EntropyParts",
    "TopsisParts",
    "aggregate_obstacles",
    "ahp_parts",
    "ahp_weights",
    "beta_convergence",
    "cap_weights",
    "ccd_grade",
    "coefficient_of_variation",
    "combine_weights",
    "coupling_coordination",
    "coupling_stage",
    "critic_parts",
    "critic_weights",
    "cv_parts",
    "cv_weights",
    "dagum_gini",
    "development_type",
    "ecological_detector",
    "entropy_parts",
    "entropy_weights",
    "equal_weights",
    "factor_detector",
    "factor_detector_many",
    "gini",
    "impute_panel",
    "interaction_detector",
    "kernel_density",
    "minmax_bounds",
    "normalize",
    "obstacle_degree",
    "optimal_discretization",
    "risk_detector",
    "sigma_convergence",
    "theil",
    "topsis",
    "topsis_parts",
    "treat_outliers",
    "weighted_arithmetic",
    "weighted_geometric",
]
