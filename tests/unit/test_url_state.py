import pytest

from dashboard.core.url_state import Param, encode_state, parse_query

EPOCHS = Param("epochs", 15, minimum=1, maximum=30)
RATE = Param("rate", 0.01, choices=(0.001, 0.01, 0.1))
ACTIVATION = Param("act", "relu", choices=("relu", "sigmoid"))
SIZES = Param("sizes", "784, 16, 10", max_length=20)
SHOW = Param("show", False)


@pytest.mark.parametrize(
    ("param", "raw", "value"),
    [
        (EPOCHS, "7", 7),
        (EPOCHS, "7.0", 7),
        (RATE, "0.1", 0.1),
        (RATE, "1e-3", 0.001),
        (ACTIVATION, "sigmoid", "sigmoid"),
        (SIZES, "2, 3", "2, 3"),
        (SHOW, "true", True),
    ],
)
def test_valid_values_are_read_without_a_note(param, raw, value):
    assert param.parse(raw) == (value, None)


@pytest.mark.parametrize(
    ("param", "raw", "value", "problem"),
    [
        (EPOCHS, "999", 30, "outside 1–30"),
        (EPOCHS, "-5", 1, "outside 1–30"),
        (EPOCHS, "abc", 15, "not a number"),
        (EPOCHS, "2.5", 15, "not a whole number"),
        (EPOCHS, "nan", 15, "not a finite number"),
        (RATE, "5", 0.01, "not one of"),
        (ACTIVATION, "<script>", "relu", "not one of"),
        (SHOW, "maybe", False, "not true or false"),
        (SIZES, "9" * 50, "9" * 20, "longer than 20"),
    ],
)
def test_bad_values_are_clamped_or_replaced_with_a_note(param, raw, value, problem):
    parsed, note = param.parse(raw)
    assert parsed == value and type(parsed) is type(value)
    assert (
        problem in note
        and f"{param.key}=" in note
        and note.endswith(f"using {param.encode(value)}.")
    )


def test_parse_query_reads_only_known_parameters():
    values, notes = parse_query([EPOCHS, RATE], {"epochs": "40", "rate": "0.001", "other": "x"})
    assert values == {"epochs": 30, "rate": 0.001}
    assert len(notes) == 1 and "epochs='40'" in notes[0]


def test_encode_state_round_trips_and_leaves_defaults_out():
    state = {"epochs": 20, "rate": 0.01, "act": "sigmoid", "show": True}
    query = encode_state([EPOCHS, RATE, ACTIVATION, SHOW], state)
    assert query == {"epochs": "20", "act": "sigmoid", "show": "1"}
    values, notes = parse_query([EPOCHS, RATE, ACTIVATION, SHOW], query)
    assert notes == [] and {**state, **values} == state


def test_a_continuous_value_snaps_to_the_widgets_step_so_a_link_cannot_force_new_work():
    noise = Param("noise", 0.1, minimum=0.0, maximum=0.5, step=0.05)
    assert noise.parse("0.15") == (0.15, None)
    value, note = noise.parse("0.123")
    assert value == 0.1 and "between steps of 0.05; using 0.1" in note
    assert {noise.parse(f"{0.1 + i * 1e-4}")[0] for i in range(100)} <= {0.1, 0.15}
    assert noise.parse("7")[0] == 0.5
