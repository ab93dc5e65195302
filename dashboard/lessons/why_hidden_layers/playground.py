"""Small networks on 2D points: build, train with snapshots, read every neuron over the plane."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd
from keras import layers

from dashboard.core.activation_catalogue import keras_names
from dashboard.core.activations import dense_activations
from dashboard.core.toy_data import EXTENT, GRID_SIZE, plane_grid
from dashboard.core.training import EXPLODED, NON_FINITE, train_model

# UI label → Keras activation, as Playground offers them.
PLAYGROUND_ACTIVATIONS = keras_names("tanh", "ReLU", "sigmoid", "linear")


@dataclass(frozen=True)
class PlaygroundRun:
    """History and snapshots of every layer's output over the plane during training."""

    history: pd.DataFrame  # one row per epoch
    snapshot_epochs: list[int]
    snapshots: list[dict[str, np.ndarray]]  # per snapshot: layer name → (units, GRID, GRID)
    stop_reason: str | None = None  # as in TrainingResult

    @property
    def failed(self) -> bool:
        """Whether training blew up."""
        return self.stop_reason in (NON_FINITE, EXPLODED)


def build_playground_model(
    hidden_layers: Sequence[int] = (8, 8),
    activation: str = "tanh",
    learning_rate: float = 0.03,
    l1: float = 0.0,
    l2: float = 0.0,
    seed: int = 0,
) -> keras.Model:
    """Return a compiled 2-…-1 classifier; an empty `hidden_layers` is logistic regression."""
    if any(not 1 <= units <= 64 for units in hidden_layers):
        raise ValueError(f"each hidden layer needs 1 to 64 neurons, got {list(hidden_layers)}")
    regularizer = keras.regularizers.L1L2(l1, l2) if (l1 or l2) else None
    inputs = keras.Input((2,), name="x1_x2")
    x = layers.Rescaling(1.0 / EXTENT, name="scale")(inputs)  # the plane to about [-1, 1]²
    for index, units in enumerate(hidden_layers, start=1):
        x = layers.Dense(
            units,
            activation=activation,
            kernel_regularizer=regularizer,
            kernel_initializer=keras.initializers.GlorotUniform(seed + index),
            name=f"hidden_{index}",
        )(x)
    outputs = layers.Dense(
        1,
        activation="sigmoid",
        kernel_regularizer=regularizer,
        kernel_initializer=keras.initializers.GlorotUniform(seed),
        name="output",
    )(x)
    model = keras.Model(inputs, outputs, name="playground")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def neuron_maps(model: keras.Model, size: int = GRID_SIZE) -> dict[str, np.ndarray]:
    """Return every neuron's output over the plane: layer name → (units, size, size)."""
    _, points = plane_grid(size)
    return {
        name: values.T.reshape(-1, size, size)
        for name, values in dense_activations(model, points).items()
    }


def train_with_snapshots(
    model: keras.Model,
    x_train: np.ndarray,
    y_train: np.ndarray,
    epochs: int,
    batch_size: int = 16,
    validation_data: tuple[np.ndarray, np.ndarray] | None = None,
    snapshots: int = 20,
    on_chunk: Callable[[PlaygroundRun], None] | None = None,
    seed: int = 0,
    previous: PlaygroundRun | None = None,
    max_loss: float | None = None,
) -> PlaygroundRun:
    """Train `model` and take about `snapshots` pictures of every neuron over the plane.

    Training runs in chunks between snapshots with the traced loop; `on_chunk(run_so_far)`
    is called after each, for a progress bar. The first snapshot is the untrained network.
    `previous` continues an interrupted run up to `epochs` in all.
    """
    every = max(1, epochs // snapshots)
    if previous is None:
        snapshot_epochs, pictures, rows = [0], [neuron_maps(model)], []
    else:
        snapshot_epochs = list(previous.snapshot_epochs)
        pictures = list(previous.snapshots)
        rows = previous.history.to_dict("records")
    stop_reason = None
    while len(rows) < epochs and stop_reason is None:
        chunk = min(every, epochs - len(rows))
        result = train_model(
            model,
            x_train,
            y_train,
            chunk,
            batch_size=batch_size,
            validation_data=validation_data,
            initial_epoch=len(rows),
            seed=seed,
            engine="traced",
            epochs_per_call=chunk,
            max_loss=max_loss,
        )
        rows.extend(result.history.to_dict("records"))
        snapshot_epochs.append(len(rows))
        pictures.append(neuron_maps(model))
        stop_reason = result.stop_reason
        if on_chunk is not None:
            on_chunk(PlaygroundRun(pd.DataFrame(rows), list(snapshot_epochs), list(pictures)))
    return PlaygroundRun(pd.DataFrame(rows), snapshot_epochs, pictures, stop_reason)


MAX_HIDDEN_LAYERS = 6
MAX_LAYER_NEURONS = 16


def parse_hidden_layers(text: str) -> tuple[int, ...]:
    """Return layer widths from text like "8, 8" ("" or "0" is no hidden layer)."""
    parts = [part for part in text.replace(" ", ",").split(",") if part]
    if parts in ([], ["0"]):
        return ()
    if len(parts) > MAX_HIDDEN_LAYERS:
        raise ValueError(f"at most {MAX_HIDDEN_LAYERS} hidden layers, got {len(parts)}")
    if not all(part.isdigit() and 1 <= int(part) <= MAX_LAYER_NEURONS for part in parts):
        raise ValueError(
            f"each hidden layer needs a whole number of 1 to {MAX_LAYER_NEURONS} neurons"
        )
    return tuple(int(part) for part in parts)


def warped_grid(
    model: keras.Model, layer_name: str, lines: int = 13, points: int = 60
) -> list[np.ndarray]:
    """Return the plane's grid lines as a 2-neuron layer maps them: each (points, 2)."""
    levels = np.linspace(-EXTENT, EXTENT, lines)
    along = np.linspace(-EXTENT, EXTENT, points)
    polylines = [np.stack([np.full(points, level), along], axis=1) for level in levels] + [
        np.stack([along, np.full(points, level)], axis=1) for level in levels
    ]
    mapped = dense_activations(model, np.concatenate(polylines))[layer_name]
    if mapped.shape[1] != 2:
        raise ValueError(f"{layer_name} has {mapped.shape[1]} neurons; a 2D picture needs 2")
    return np.split(mapped, len(polylines))


def compare_depths(
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    hidden_options: Sequence[tuple[int, ...]],
    epochs: int = 200,
) -> list[dict]:
    """Train one network per hidden-layer option; return its output map and test accuracy."""
    x_train, y_train, x_test, y_test = data
    results = []
    for hidden_layers in hidden_options:
        model = build_playground_model(hidden_layers)
        run = train_with_snapshots(
            model, x_train, y_train, epochs, validation_data=(x_test, y_test), snapshots=1
        )
        results.append(
            {
                "hidden_layers": hidden_layers,
                "output": run.snapshots[-1]["output"][0],
                "test_accuracy": float(run.history["val_accuracy"].iloc[-1]),
            }
        )
    return results


def hidden_space_inputs(
    model: keras.Model, data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
) -> dict | None:
    """Return what `hidden_space` draws for the model's last 2-neuron hidden layer, or None.

    Keys: layer, lines (the warped grid), points and labels (all of `data` there), and
    boundary, the output's (w, b) when that layer feeds the output directly.
    """
    hidden = [layer for layer in model.layers if layer.name.startswith("hidden_")]
    pairs = [index for index, layer in enumerate(hidden) if layer.units == 2]
    if not pairs:
        return None
    layer = hidden[pairs[-1]].name
    boundary = None
    if pairs[-1] == len(hidden) - 1:
        kernel, bias = model.get_layer("output").get_weights()
        boundary = (kernel[:, 0], float(bias[0]))
    x = np.concatenate([data[0], data[2]])
    return {
        "layer": layer,
        "lines": warped_grid(model, layer),
        "points": dense_activations(model, x)[layer],
        "labels": np.concatenate([data[1], data[3]]),
        "boundary": boundary,
    }


def _against_guessing(accuracy: float, guessing: float, margin: float = 0.05) -> str:
    """Return how `accuracy` compares with always guessing the commoner class."""
    if accuracy <= guessing + margin:
        return f", no better than guessing ({guessing:.0%} by always answering the commoner class)"
    return f" (guessing: {guessing:.0%})"


def line_vs_bend(pair: list[dict], guessing: float) -> tuple[list[tuple[str, np.ndarray]], str]:
    """Return the panels (title, output map) and the sentence for `compare_depths`' pair.

    The pair is (no hidden layer, one hidden layer of 8); a gap under 3 points is called a tie,
    as one split of a few hundred points cannot tell them apart. `guessing` is chance level.
    """
    line, bend = pair
    panels = [
        (f"no hidden layer: {line['test_accuracy']:.0%} on test", line["output"]),
        (f"one hidden layer of 8: {bend['test_accuracy']:.0%} on test", bend["output"]),
    ]
    gap = bend["test_accuracy"] - line["test_accuracy"]
    if gap >= 0.03:
        versus = _against_guessing(line["test_accuracy"], guessing)
        sentence = (
            f"Without a hidden layer the boundary is straight and the test accuracy is "
            f"**{line['test_accuracy']:.0%}**{versus}; one hidden layer bends it and reaches "
            f"**{bend['test_accuracy']:.0%}**."
        )
    else:
        sentence = (
            f"Here a straight line already does about as well (**{line['test_accuracy']:.0%}** "
            f"against **{bend['test_accuracy']:.0%}** with a hidden layer): this data does not "
            "need bending. Try the circles or the spirals."
        )
    return panels, sentence
