"""Every claim a lesson lists holds on the shipped models and results.

`python -m dashboard.claims` prints the same table; a claim that stops holding (a retrained
model, a changed experiment) fails here with its value and control.
"""

import pytest

from dashboard.claims import all_claims, main
from dashboard.core.claims import Claim

CLAIMS = all_claims()


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda claim: f"{claim.lesson}: {claim.statement}")
def test_the_claim_holds_against_its_control(claim: Claim):
    assert claim.holds, f"{claim.value!r} against {claim.control!r} ({claim.control_name})"


def test_every_lesson_with_claims_lists_some():
    from dashboard.claims import LESSONS_WITH_CLAIMS

    assert {claim.lesson for claim in CLAIMS} == set(LESSONS_WITH_CLAIMS)
    assert len(LESSONS_WITH_CLAIMS) >= 3


def test_the_command_prints_every_claim_and_exits_zero(capsys):
    assert main() == 0
    printed = capsys.readouterr().out
    assert f"{len(CLAIMS)} claims, 0 failing." in printed
    assert all(claim.statement[:60] in printed for claim in CLAIMS)
