"""The out-of-core chain (:mod:`ronghe.chain.partitioned`) on a Dask ``distributed`` cluster: each
pass's partition tasks are submitted to the cluster's workers and their sums gathered by this
process, which combines them and submits the next pass.

``dask_map(client)`` is the executor; :func:`evaluate_on_cluster` connects to a scheduler address
(``tcp://host:8786``) or, for ``"local"``, starts a ``LocalCluster`` of two worker processes. The
work folder that carries each partition's arrays between passes must be visible to every worker
under the same path (a shared file system on a real cluster), and so must the source: the folder
of Parquet files, the DuckDB file (each worker opens it read only, which DuckDB allows to many
processes at once but not while one process writes to it) or the store's server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ronghe.chain.partitioned import Executor, evaluate_partitioned
from ronghe.chain.sources import Source
from ronghe.errors import InputError
from ronghe.frameworks import Framework
from ronghe.settings import Settings


def dask_map(client: Any) -> Executor:
    """An executor running each item as one task on ``client``'s cluster, results in order."""

    def run(fn: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if not items:
            return []
        return list(client.gather(client.map(fn, list(items), pure=False)))

    return run


def evaluate_on_cluster(
    source: str | Path | Source,
    out: str | Path,
    scheduler: str,
    framework: str | Path | Framework | None = None,
    settings: Settings | None = None,
    work: str | Path | None = None,
) -> Path:
    """:func:`ronghe.chain.partitioned.evaluate_partitioned` with the partitions mapped on the
    cluster at ``scheduler`` (``"local"``: a two-worker ``LocalCluster`` on this machine)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - distributed is a dependency of the dist extra
        raise InputError("--scheduler needs the 'distributed' package (pip install "
                         "'ronghe[dist]')") from None
    if scheduler == "local":
        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            return evaluate_partitioned(source, out, framework, settings, dask_map(client), work)
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise InputError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    with client:
        return evaluate_partitioned(source, out, framework, settings, dask_map(client), work)
