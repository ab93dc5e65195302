"""The class load test's runs: which the server may share, and which it must compute."""

import pytest

from benchmarks.load_test import WARM_UP, alone_settings, settings_for


def _run(settings: dict) -> tuple:
    return tuple(sorted(settings.items()))


@pytest.mark.parametrize("case", ["same", "different"])
def test_the_warm_up_run_is_nobodys_run(case):
    # Otherwise the server would share the warm-up with a student instead of computing it.
    runs = {_run(settings_for(case, student)) for student in range(30)}
    assert _run(WARM_UP) not in runs and _run(WARM_UP) != _run(alone_settings(case))


def test_different_students_have_thirty_different_runs():
    assert len({_run(settings_for("different", student)) for student in range(30)}) == 30


def test_the_same_case_shares_one_run_that_the_session_alone_does_not_have():
    runs = {_run(settings_for("same", student)) for student in range(30)}
    assert len(runs) == 1 and _run(alone_settings("same")) not in runs
