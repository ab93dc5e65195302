import math

import numpy as np

from dashboard.training import (
    EXPLODED,
    HISTORY_COLUMNS,
    NON_FINITE,
    guessing_loss,
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
