"""Shared fixtures: real MNIST, a real PostgreSQL server, quiet logs, a throwaway class store."""

import os
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Class rooms made by tests (and the servers they start) go to a throwaway SQLite file.
os.environ.setdefault("CLASS_STORE_URL", f"sqlite:///{tempfile.mkdtemp()}/class_rooms.sqlite")

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
