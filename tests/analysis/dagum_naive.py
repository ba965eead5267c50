"""O(n²) reference form of Dagum's Gini decomposition, written straight from Dagum (1997) with
explicit double sums over all pairs of units. Used by tests and bench only, never by ronghe."""

from __future__ import annotations

import numpy as np


def dagum_gini_naive(y, groups) -> dict:
    y = np.asarray(y, dtype=float)
    groups = np.asarray(groups)
    labels = sorted(set(groups.tolist()), key=lambda g: (y[groups == g].mean(), g))
    parts = [y[groups == g] for g in labels]
    k, n, mean = len(parts), y.size, y.mean()
    means = np.array([p.mean() for p in parts])
    sizes = np.array([p.size for p in parts])
    total = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * n * mean)
    G = np.empty((k, k))
    D = np.zeros((k, k))
    for j in range(k):
        for h in range(k):
            diff = parts[j][:, None] - parts[h][None, :]
            G[j, h] = np.abs(diff).sum() / (sizes[j] * sizes[h] * (means[j] + means[h]))
            d_jh = np.maximum(diff, 0).mean()
            p_jh = np.maximum(-diff, 0).mean()
            if d_jh + p_jh > 0 and j != h:
                D[j, h] = (d_jh - p_jh) / (d_jh + p_jh)
    for j in range(k):
        pairs = np.abs(parts[j][:, None] - parts[j][None, :]).sum()
        G[j, j] = pairs / (2 * sizes[j] ** 2 * means[j])
    p = sizes / n
    s = sizes * means / (n * mean)
    within = sum(G[j, j] * p[j] * s[j] for j in range(k))
    gnb = sum(G[j, h] * (p[j] * s[h] + p[h] * s[j]) * D[j, h]
              for j in range(1, k) for h in range(j))
    gt = sum(G[j, h] * (p[j] * s[h] + p[h] * s[j]) * (1 - D[j, h])
             for j in range(1, k) for h in range(j))
    return {"gini": total, "within": within, "net_between": gnb, "transvariation": gt,
            "groups": tuple(labels), "G": G, "D": D}
