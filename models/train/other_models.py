"""The other shipped models: an LSTM that counts, a digit autoencoder, transfer sources.

python -m models.train counting_lstm
python -m models.train mnist_autoencoder

Each is saved beside the classifiers with a JSON card of what it measured.
"""

from __future__ import annotations

import json
import time
from functools import partial

import keras
import numpy as np

from models.precomputed import AUTOENCODER_SETUP, LSTM_SETUP, TRANSFER_SOURCES
from models.shipped import card_path, model_path


def train_counting_lstm() -> dict:
    """Train the counting LSTM on random bit sequences; return its card."""
    from dashboard.lessons.other_architectures.sequences import counting_data, exact_count_rate
    from models.builders import build_counting_lstm

    keras.utils.set_random_seed(0)
    x, y = counting_data(LSTM_SETUP["sequences"], LSTM_SETUP["length"], seed=0)
    model = build_counting_lstm(LSTM_SETUP["units"])
    model.compile(keras.optimizers.Adam(LSTM_SETUP["learning_rate"]), "mse")
    started = time.perf_counter()
    model.fit(x, y, epochs=LSTM_SETUP["epochs"], batch_size=64, verbose=0)
    seconds = time.perf_counter() - started
    test = counting_data(500, LSTM_SETUP["length"], seed=1)
    longer = counting_data(500, 2 * LSTM_SETUP["length"], seed=2)
    return _save(
        "counting_lstm",
        model,
        "LSTM with 8 units reading one bit per step and outputting the count of ones so far.",
        LSTM_SETUP,
        seconds,
        exact_count_rate=round(exact_count_rate(model, *test), 4),
        exact_count_rate_twice_as_long=round(exact_count_rate(model, *longer), 4),
    )


def train_autoencoder() -> dict:
    """Train the digit autoencoder on MNIST's 60,000 training images; return its card."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.other_architectures.autoencoder import encode, nearest_neighbour_accuracy
    from models.builders import build_autoencoder

    mnist = load_dataset("mnist")
    keras.utils.set_random_seed(0)
    model = build_autoencoder(AUTOENCODER_SETUP["hidden_units"], AUTOENCODER_SETUP["bottleneck"])
    model.compile(keras.optimizers.Adam(2e-3), "binary_crossentropy")
    started = time.perf_counter()
    model.fit(
        mnist.x_train,
        mnist.x_train.astype(np.float32) / 255.0,
        epochs=AUTOENCODER_SETUP["epochs"],
        batch_size=AUTOENCODER_SETUP["batch_size"],
        verbose=0,
    )
    seconds = time.perf_counter() - started
    test_loss = model.evaluate(mnist.x_test, mnist.x_test / 255.0, verbose=0)
    knn = nearest_neighbour_accuracy(
        encode(model, mnist.x_train[:10_000]),
        mnist.y_train[:10_000],
        encode(model, mnist.x_test),
        mnist.y_test,
    )
    return _save(
        "mnist_autoencoder",
        model,
        "Dense autoencoder 784-128-32-2-32-128-784 trained on MNIST without labels.",
        AUTOENCODER_SETUP,
        seconds,
        test_reconstruction_loss=round(float(test_loss), 4),
        nearest_neighbour_accuracy=round(knn, 4),
    )


def train_block_source(name: str) -> dict:
    """Train the transfer lesson's source network `name` on its source images; return its card."""
    from dashboard.core.data import load_dataset
    from dashboard.lessons.transfer.transfer import first_per_class
    from models.builders import build_block_cnn

    setup = TRANSFER_SOURCES[name]
    data = load_dataset(setup["dataset"], "shared")
    classes = tuple(setup["classes"])
    x, y = first_per_class(data.x_train, data.y_train, classes, None)
    x_test, y_test = first_per_class(data.x_test, data.y_test, classes, None)
    keras.utils.set_random_seed(0)
    model = build_block_cnn(x.shape[1:], setup["filters"], len(classes))
    steps = setup["epochs"] * -(-len(x) // 128)
    model.compile(keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(3e-3, steps)),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])  # fmt: skip
    started = time.perf_counter()
    model.fit(x, y, batch_size=128, epochs=setup["epochs"], verbose=2)
    seconds = time.perf_counter() - started
    _, accuracy = model.evaluate(x_test, y_test, verbose=0)
    description = f"Block CNN trained on {len(x):,} {setup['dataset']} images of classes {classes}."
    return _save(
        name, model, description, setup, seconds,
        test_accuracy=round(float(accuracy), 4), train_images=len(x),
    )  # fmt: skip


def _save(name: str, model: keras.Model, description: str, setup: dict, seconds: float, **measured):
    model.save(model_path(name))
    card = {
        "name": name,
        "description": description,
        "setup": setup,
        "parameters": model.count_params(),
        "training_seconds": round(seconds, 1),
        "keras_version": keras.__version__,
        **measured,
    }
    card_path(name).write_text(json.dumps(card, indent=2) + "\n")
    return card


OTHER_MODELS = {
    "counting_lstm": train_counting_lstm,
    "mnist_autoencoder": train_autoencoder,
    **{name: partial(train_block_source, name) for name in TRANSFER_SOURCES},
}
