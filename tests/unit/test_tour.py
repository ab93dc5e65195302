import math

import pytest

from dashboard.core import quiz, tour
from dashboard.core.course import available_lessons


def test_every_tour_step_is_on_a_page_with_notes():
    pages = {lesson.page for lesson in available_lessons()}
    assert len(tour.TOUR) >= 8
    for step in tour.TOUR:
        assert step.page in pages
        assert step.say and step.ask.endswith("?") and step.point_at
        assert tour.TOUR_KEY not in step.state


def test_step_links_carry_the_state_and_the_step_number():
    state = tour.step_link_state(2)
    assert state[tour.TOUR_KEY] == "3"
    assert {key: value for key, value in state.items() if key != tour.TOUR_KEY} == tour.TOUR[
        2
    ].state


@pytest.mark.parametrize(
    "raw, expected, noted",
    [
        (None, None, False),
        ("2", 1, False),
        ("0", 0, True),
        ("999", len(tour.TOUR) - 1, True),
        ("x", 0, True),
    ],
)
def test_tour_step_numbers_are_clamped_with_a_note(raw, expected, noted):
    index, note = tour.parse_step(raw)
    assert index == expected and (note is not None) == noted


def test_predictions_are_judged_by_the_measured_value():
    prediction = quiz.RANDOM_LABELS
    assert prediction.correct_choice(0.075) == 2
    right, sentence = prediction.verdict(2, 0.075, "7.5%")
    assert right and "7.5%" in sentence
    right, sentence = prediction.verdict(0, 0.075, "7.5%")
    assert not right and prediction.choices[2] in sentence
    assert quiz.VANISHING_GRADIENT.correct_choice(6e-7) == 2


def test_prediction_ranges_cover_every_value_once():
    for prediction in (quiz.RANDOM_LABELS, quiz.VANISHING_GRADIENT):
        for value in (-1e9, -1.0, 0.0, 1e-9, 0.029, 0.3, 0.8, 1.0, 9.9, 10.0, 1e9):
            holders = [low <= value < high for low, high in prediction.bounds]
            assert sum(holders) == 1, (prediction.question, value)
        assert any(math.isinf(low) for low, _ in prediction.bounds)
