import math

import numpy as np
import pandas as pd
import pytest

from dashboard.core.training import (
    EARLY_STOPPED,
    EXPLODED,
    HISTORY_COLUMNS,
    NON_FINITE,
    guessing_loss,
    seconds_to_reach,
    stop_message,
    train_model,
)
from models.builders import build_mlp, compile_classifier


def _accuracy(model, x, y):
    return float((np.asarray(model(x.astype(np.float32))).argmax(axis=1) == y).mean())


def test_a_seeded_mlp_learns_far_past_an_untrained_one(mnist):
    small = mnist.subset(5000, 2000)
    model = compile_classifier(build_mlp(hidden_units=(16, 16), activation="relu"), 3e-3)
    untrained = _accuracy(model, small.x_test, small.y_test)
    rows = []

    result = train_model(
        model,
        small.x_train,
        small.y_train,
        epochs=4,
        validation_data=(small.x_test, small.y_test),
        on_epoch=rows.append,
    )

    trained = _accuracy(model, small.x_test, small.y_test)
    assert untrained < 0.3 < 0.8 < trained
    assert result.stop_reason is None
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4]
    assert sorted(result.history.columns) == sorted(HISTORY_COLUMNS)
    assert math.isclose(result.history["val_accuracy"].iloc[-1], trained, abs_tol=1e-3)
    assert result.history["loss"].iloc[-1] < result.history["loss"].iloc[0]


def test_a_huge_learning_rate_stops_on_a_non_finite_loss(mnist):
    small = mnist.subset(2000)
    model = compile_classifier(build_mlp(activation="relu"), learning_rate=1e9)
    rows = []

    result = train_model(model, small.x_train, small.y_train, epochs=10, on_epoch=rows.append)

    assert result.stop_reason == NON_FINITE
    assert result.finished_epochs == len(rows) < 10
    assert not math.isfinite(rows[-1]["loss"])
    assert "learning rate (1e+09)" in stop_message(result.stop_reason, 1e9)


def test_a_loss_far_above_guessing_stops_training(mnist):
    small = mnist.subset(2000)
    model = compile_classifier(build_mlp(activation="sigmoid"), learning_rate=100.0)

    result = train_model(
        model, small.x_train, small.y_train, epochs=10, max_loss=3 * guessing_loss(10)
    )

    assert result.stop_reason == EXPLODED
    assert result.history["loss"].iloc[-1] > 3 * guessing_loss(10)
    assert result.finished_epochs < 10
    assert "exploded" in stop_message(EXPLODED, 100.0)


def test_resuming_continues_the_epoch_count(mnist):
    small = mnist.subset(1000)
    model = compile_classifier(build_mlp(), 1e-2)
    train_model(model, small.x_train, small.y_train, epochs=2)
    resumed = train_model(model, small.x_train, small.y_train, epochs=2, initial_epoch=2)
    assert resumed.history["epoch"].tolist() == [3, 4]


def test_stop_message_is_none_when_training_finished():
    assert stop_message(None) is None


def test_traced_engine_takes_the_same_steps_as_keras_fit(mnist):
    """With one full batch per epoch the sample order cannot matter: both must agree."""
    small = mnist.subset(512)
    weights = {}
    for engine in ("fit", "traced"):
        model = compile_classifier(build_mlp(hidden_units=(8,), activation="relu", l2=1e-3), 1e-2)
        result = train_model(
            model, small.x_train, small.y_train, epochs=3, batch_size=512, engine=engine
        )
        weights[engine] = model.get_layer("hidden_1").get_weights()[0]
        weights[engine + " loss"] = result.history["loss"].to_numpy()
    np.testing.assert_allclose(weights["traced"], weights["fit"], rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(weights["traced loss"], weights["fit loss"], rtol=1e-4)


def test_traced_engine_learns_and_reports_validation(mnist):
    small = mnist.subset(5000, 2000)
    model = compile_classifier(build_mlp(activation="relu"), 3e-3)
    rows = []
    result = train_model(
        model,
        small.x_train,
        small.y_train,
        epochs=4,
        engine="traced",
        validation_data=(small.x_test, small.y_test),
        on_epoch=rows.append,
    )
    assert [row["epoch"] for row in rows] == [1, 2, 3, 4]
    assert result.history["val_accuracy"].iloc[-1] > 0.8
    assert math.isclose(
        result.history["val_accuracy"].iloc[-1],
        _accuracy(model, small.x_test, small.y_test),
        abs_tol=1e-4,
    )


def test_traced_engine_stops_on_a_non_finite_loss(mnist):
    small = mnist.subset(2000)
    model = compile_classifier(build_mlp(activation="relu"), learning_rate=1e9)
    result = train_model(model, small.x_train, small.y_train, epochs=10, engine="traced")
    assert result.stop_reason == NON_FINITE and result.finished_epochs < 10


def test_seconds_to_reach_adds_up_epochs_until_the_threshold():
    history = pd.DataFrame({"val_accuracy": [0.90, 0.95, 0.97], "seconds": [1.0, 2.0, 4.0]})
    assert seconds_to_reach(history, "val_accuracy", 0.95) == 3.0
    assert seconds_to_reach(history, "val_accuracy", 0.96) == 7.0
    assert seconds_to_reach(history, "val_accuracy", 0.99) is None
    with pytest.raises(ValueError, match="engine must be"):
        train_model(build_mlp(), np.zeros((1, 28, 28)), np.zeros(1), 1, engine="jax")


@pytest.mark.parametrize("engine", ["fit", "traced"])
def test_early_stopping_restores_the_best_validation_epoch(mnist, engine):
    # A tiny training set and a big learning rate overfit fast: validation loss turns up.
    small = mnist.subset(300, 500)
    model = compile_classifier(build_mlp(hidden_units=(64,), activation="relu"), 1e-2)
    weights_by_epoch = {}

    def remember(row):
        weights_by_epoch[row["epoch"]] = model.get_weights()

    result = train_model(
        model,
        small.x_train,
        small.y_train,
        epochs=60,
        batch_size=32,
        engine=engine,
        validation_data=(small.x_test, small.y_test),
        on_epoch=remember,
        patience=3,
    )

    history = result.history
    best = int(history.loc[history["val_loss"].idxmin(), "epoch"])
    assert result.stop_reason == EARLY_STOPPED and not result.failed
    assert result.best_epoch == best and result.finished_epochs == best + 3
    for restored, expected in zip(model.get_weights(), weights_by_epoch[best]):
        np.testing.assert_array_equal(restored, expected)


def test_l2_shrinks_the_weights_against_the_same_seed_without_it(mnist):
    small = mnist.subset(2000)
    norms = {}
    for l2 in (0.0, 1e-2):
        model = compile_classifier(build_mlp(hidden_units=(32,), activation="relu", l2=l2), 3e-3)
        train_model(model, small.x_train, small.y_train, epochs=5, engine="traced")
        norms[l2] = float(np.linalg.norm(model.get_layer("hidden_1").get_weights()[0]))
    assert norms[1e-2] < 0.7 * norms[0.0]


def test_early_stopping_needs_validation_data():
    with pytest.raises(ValueError, match="needs validation_data"):
        train_model(build_mlp(), np.zeros((1, 28, 28)), np.zeros(1), 1, patience=2)


def test_training_leaves_no_custom_gradient_registered(mnist):
    from tensorflow.python.framework import ops

    registry = ops._gradient_registry._registry
    before = {name for name in registry if name.startswith("CustomGradient-")}
    for engine in ("traced", "fit"):
        model = compile_classifier(build_mlp(hidden_units=(8,)), 1e-3)
        train_model(model, mnist.x_train[:256], mnist.y_train[:256], 1, engine=engine)
    after = {name for name in registry if name.startswith("CustomGradient-")}
    assert after <= before


def test_a_reset_model_retrains_like_a_fresh_one(mnist):
    from dashboard.core.training import reset_for_retraining

    x, y = mnist.x_train[:2000], mnist.y_train[:2000]
    model = compile_classifier(build_mlp(hidden_units=(16,), seed=3), 1e-2)
    initial = model.get_weights()
    first = train_model(model, x, y, 2, engine="traced").history["loss"]
    rate = float(model.optimizer.learning_rate)
    reset_for_retraining(model, initial)
    for now, start in zip(model.get_weights(), initial):
        np.testing.assert_array_equal(now, start)
    assert int(model.optimizer.iterations) == 0
    assert float(model.optimizer.learning_rate) == pytest.approx(rate)
    assert all(
        not np.asarray(variable).any()
        for variable in model.optimizer.variables
        if "learning_rate" not in variable.path
    )
    again = train_model(model, x, y, 2, engine="traced").history["loss"]
    np.testing.assert_allclose(again, first, rtol=0.02)


def test_a_seeded_live_digit_run_is_reproducible_bit_for_bit(mnist):
    """What makes sharing a run honest: the same settings give the same weights."""
    from models.shipped import LIVE_DIGIT_RECIPE, build_from_recipe

    def run():
        model = build_from_recipe(LIVE_DIGIT_RECIPE, (28, 28), 5_000, epochs=2)
        x, y = mnist.x_train[:5_000], mnist.y_train[:5_000]
        result = train_model(model, x, y, 2, engine="traced", seed=LIVE_DIGIT_RECIPE.seed)
        return model.get_weights(), result.history["loss"].tolist()

    (first, first_loss), (second, second_loss) = run(), run()
    assert first_loss == second_loss
    assert all(np.array_equal(a, b) for a, b in zip(first, second))


def test_the_live_digit_recipe_passes_95_percent_on_the_test_digits(mnist):
    """The digit page's default run (seed 0, all 60,000 digits) passes 95% within its epochs."""
    from models.shipped import LIVE_DIGIT_RECIPE, build_from_recipe

    model = build_from_recipe(LIVE_DIGIT_RECIPE, (28, 28), len(mnist.x_train))

    def stop_at_95(row: dict) -> None:
        model.stop_training = row["val_accuracy"] >= 0.95

    result = train_model(
        model, *mnist.training_tensors(), LIVE_DIGIT_RECIPE.epochs,
        validation_data=(mnist.x_test, mnist.y_test), on_epoch=stop_at_95, engine="traced",
        seed=LIVE_DIGIT_RECIPE.seed,
    )  # fmt: skip
    assert result.history["val_accuracy"].iloc[-1] >= 0.95
    assert result.finished_epochs < LIVE_DIGIT_RECIPE.epochs  # with epochs to spare
