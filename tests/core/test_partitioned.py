"""The out-of-core chain (a folder of Parquet files, two passes) and its Dask form give the tables
of ``Study.evaluate`` to 1e-12, on the synthetic panel under every built-in framework and under
the settings whose pooled statistics differ (weights, aggregation, imputation, outlier rule)."""

import subprocess
import sys
import warnings

import chain_panels
import numpy as np
import pandas as pd
import pytest

from ooc_tables import YEARS, assert_same, small_panel
from ooc_tables import sorted_rows as _sorted
from ronghe import Study, datasets
from ronghe.chain.partitioned import evaluate_partitioned, read_tables, write_partitions
from ronghe.errors import InputError, RongheWarning
from ronghe.panel import Panel
from ronghe.settings import Settings


@pytest.fixture(scope="module")
def panel():
    return small_panel()


@pytest.fixture(scope="module")
def folder(panel, tmp_path_factory):
    path = tmp_path_factory.mktemp("panel")
    write_partitions(panel, path, 3)
    return path


def _both(panel, folder, out, framework, settings=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, framework, settings).evaluate()
        evaluate_partitioned(folder, out, framework, settings)
    return res, read_tables(out)


@pytest.mark.parametrize("framework", ["seed", "county", "urban-rural"])
def test_builtin_frameworks_equal_in_memory(panel, folder, tmp_path, framework):
    res, tables = _both(panel, folder, tmp_path / "out", framework)
    assert len(tables["treatment"]) > 0  # imputation and the outlier rule were exercised
    assert_same(res, tables)


def test_census_framework_equal_in_memory(tmp_path):
    panel = datasets.census_counties()
    write_partitions(panel, tmp_path / "in", 4)
    res, tables = _both(panel, tmp_path / "in", tmp_path / "out", "census")
    assert_same(res, tables)


@pytest.mark.parametrize("override", [
    {"weighting": {"indicators": "critic"}},
    {"weighting": {"indicators": "combined", "combine": ["entropy", "critic"],
                   "combine_method": "game"}},
    {"weighting": {"indicators": "equal", "dimensions": "equal"}},
    {"aggregation": "topsis", "treatment": {"imputation": "parent_mean"}},
    {"aggregation": "geometric", "treatment": {"outliers": "none"},
     "normalization": {"method": "target", "shift": 0.01, "shift_mode": "add"}},
    {"coupling": {"formula": "corrected"}, "years": [2020, 2021, 2022]},
])
def test_settings_equal_in_memory(panel, folder, tmp_path, override):
    res, tables = _both(panel, folder, tmp_path / "out", "seed", Settings.from_dict(override))
    assert_same(res, tables)


@pytest.mark.parametrize("override", [
    {"weighting": {"indicators": "cv", "cap": 3.0}},
    {"weighting": {"indicators": "combined", "combine": ["entropy", "critic", "cv"],
                   "combine_method": "linear"}},
])
def test_cv_weights_equal_in_memory(tmp_path, override):
    """CV needs ratio-scale values (the seed framework has growth rates): a small framework."""
    panel = chain_panels.leader_panel(seed=5, n_regions=40, years=(2019, 2020, 2021, 2022))
    write_partitions(panel, tmp_path / "in", 3)
    fw = chain_panels.five_two()
    res, tables = _both(panel, tmp_path / "in", tmp_path / "out", fw, Settings.from_dict(override))
    assert_same(res, tables)


def test_cv_refusal_is_the_same(panel, folder, tmp_path):
    settings = Settings.from_dict({"weighting": {"indicators": "cv"}})
    refusal = r"weighting.indicators 'cv' cannot be used: .*indicator '\w+'.* is not ratio-scale"
    with pytest.raises(InputError, match=refusal):
        Study(panel, "seed", settings).evaluate()
    with pytest.raises(InputError, match=refusal):
        evaluate_partitioned(folder, tmp_path / "out", "seed", settings)


def test_dask_local_cluster_two_workers(panel, folder, tmp_path):
    distributed = pytest.importorskip("distributed")
    from ronghe.chain.distributed import dask_map

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, "seed").evaluate()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                evaluate_partitioned(folder, tmp_path / "out", "seed", run=dask_map(client))
    assert_same(res, read_tables(tmp_path / "out"))
    # the workers' warnings are raised in this process, each distinct one once
    messages = [str(w.message) for w in caught if issubclass(w.category, RongheWarning)]
    assert any("filled entirely from province" in msg for msg in messages)
    assert len(messages) == len(set(messages))


def test_untyped_partition_goes_through_read_panel(panel, folder, tmp_path):
    """A long-layout file (text columns) is read by the panel reader's rules, with the same
    results as the typed files."""
    (tmp_path / "in").mkdir()
    for i, path in enumerate(sorted(folder.glob("*.parquet"))):
        frame = pd.read_parquet(path)
        if i == 0:
            frame = frame.melt(id_vars=["region", "name_zh", "province", "year"],
                               var_name="variable", value_name="value")
        frame.to_parquet(tmp_path / "in" / path.name, index=False)
    res, tables = _both(panel, tmp_path / "in", tmp_path / "out", "seed")
    assert_same(res, tables)


def test_a_file_without_rows_in_the_years_and_an_indicator_missing_in_one_file(panel, folder,
                                                                                tmp_path):
    """``years`` may leave a file without rows; an indicator may have no value in one file
    (the pooled checks look at all files, the imputation at the pooled means)."""
    other = datasets.synthetic_counties(seed=4, years=range(2016, 2018), provinces=["31"])
    (tmp_path / "in").mkdir()
    for path in sorted(folder.glob("*.parquet")):
        frame = pd.read_parquet(path)
        if path == sorted(folder.glob("*.parquet"))[0]:
            frame["digital_finance_index"] = np.nan
        frame.to_parquet(tmp_path / "in" / path.name, index=False)
    write_partitions(other, tmp_path / "extra", 1)[0].rename(tmp_path / "in" / "z.parquet")
    whole = pd.concat([pd.read_parquet(f) for f in sorted((tmp_path / "in").glob("*.parquet"))])
    merged = Panel(whole.drop(columns=["name_zh", "province"]).set_index(["region", "year"]),
                   whole.drop_duplicates("region").set_index("region")[["name_zh", "province"]])
    settings = Settings.from_dict({"years": [2020, 2021, 2022]})
    res, tables = _both(merged, tmp_path / "in", tmp_path / "out", "seed", settings)
    assert_same(res, tables)


def test_refuses_settings_needing_all_rows(folder, tmp_path):
    for override, setting in (({"normalization": {"method": "zscore"}}, "normalization.method"),
                              ({"normalization": {"scope": "year"}}, "normalization.scope")):
        with pytest.raises(InputError, match=setting):
            evaluate_partitioned(folder, tmp_path / "out", "seed", Settings.from_dict(override))


def test_refuses_a_region_split_over_files(panel, tmp_path):
    data = panel.data.reset_index()
    first = data["region"] == data["region"].iloc[0]
    (tmp_path / "in").mkdir()
    data[~first | (data["year"] == YEARS[0])].to_parquet(tmp_path / "in" / "a.parquet")
    data[first & (data["year"] != YEARS[0])].to_parquet(tmp_path / "in" / "b.parquet")
    with pytest.raises(InputError, match="all years of a region in one file"):
        evaluate_partitioned(tmp_path / "in", tmp_path / "out", "seed")


def test_cli_evaluates_a_folder_out_of_core(panel, folder, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ronghe", "evaluate", str(folder), "--out",
         str(tmp_path / "res"), "--framework", "seed"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = Study(panel, "seed").evaluate()
    tables = read_tables(tmp_path / "res")
    assert np.allclose(_sorted(tables["index"])["index"], _sorted(res.index)["index"],
                       rtol=0, atol=1e-12)
