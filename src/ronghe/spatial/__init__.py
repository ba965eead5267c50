"""Spatio-temporal analysis on region × year values: a thin layer over PySAL (the ``maps`` extra).

- :mod:`ronghe.spatial.weights` — queen / k-nearest / distance-band weights, cached.
- :mod:`ronghe.spatial.autocorrelation` — global Moran's I, LISA clusters, Getis-Ord Gi* hot spots.
- :mod:`ronghe.spatial.dynamics` — classic and spatial Markov chains with homogeneity tests.
- :mod:`ronghe.spatial.figures` — LISA cluster, significance and Gi* maps on the national map of
  China (:mod:`ronghe.regions.chinamap`), Moran scatterplot, Markov heatmap, kernel density ridges
  (PNG/SVG).

Submodules are imported on use, so ``import ronghe`` never loads PySAL or matplotlib.
"""
