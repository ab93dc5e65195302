"""Shared fixtures: a small slice of real MNIST, and quiet TensorFlow logs."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def mnist():
    from dashboard.core.data import load_dataset

    return load_dataset("mnist")


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server, started for this test session."""
    from tests.support.postgres import postgres_server

    with postgres_server() as url:
        yield url
