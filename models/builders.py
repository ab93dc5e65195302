"""Small Functional Keras models, every layer named so the UI can label it.

Each model starts with its own preprocessing (a `Rescaling` layer), so a saved file takes
raw 0..255 pixel values and is self-contained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import keras
from keras import layers


def _rescale(inputs):
    """Map raw 0..255 pixels to 0..1, the classic preprocessing of the digit lesson.

    Not standardized on purpose: a pixel that is 0 in every image (the border) then gets no
    gradient, so its weights stay as initialized (or decay to 0 under L2) instead of drifting
    together and painting a misleading smooth frame around every weight image.
    """
    return layers.Rescaling(1.0 / 255.0, name="rescale")(inputs)


def _softmax_output(x, classes: int, seed: int):
    """Return the classifier head every builder shares: a seeded softmax layer named output."""
    return layers.Dense(
        classes,
        activation="softmax",
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        name="output",
    )(x)


def _hidden_initializer(activation: str, seed: int) -> keras.initializers.Initializer:
    """He for the ReLU family (keeps activations' variance), Glorot/Xavier otherwise."""
    if activation in ("relu", "leaky_relu", "elu", "selu", "gelu", "silu"):
        return keras.initializers.HeNormal(seed=seed)
    return keras.initializers.GlorotUniform(seed=seed)


def build_mlp(
    input_shape: Sequence[int] = (28, 28),
    hidden_units: Sequence[int] = (16, 16),
    activation: str = "sigmoid",
    classes: int = 10,
    seed: int = 0,
    l2: float = 0.0,
    l1: float = 0.0,
    dropout: float = 0.0,
    dropout_layers: Sequence[int] | None = None,
    initializer: Callable[[int], keras.initializers.Initializer] | None = None,
) -> keras.Model:
    """Return an MLP: raw pixels → rescale to 0..1 → flatten → Dense hidden layers → softmax.

    `l2` adds λ·Σw² and `l1` λ·Σ|w| of every hidden kernel to the loss. `dropout` drops that
    share of the outputs of the hidden layers numbered in `dropout_layers` (1-based; all of
    them when None) while training. `initializer(seed)` overrides the hidden kernels' initializer
    (He for the ReLU family, Glorot otherwise).
    """
    if not 0 <= dropout < 1:
        raise ValueError(f"dropout must be in [0, 1), got {dropout}")
    if any(units < 1 for units in hidden_units):
        raise ValueError(f"every hidden layer needs at least 1 unit, got {hidden_units}")
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = _rescale(inputs)
    x = layers.Flatten(name="flatten")(x)
    for index, units in enumerate(hidden_units, start=1):
        x = layers.Dense(
            units,
            activation=activation,
            kernel_initializer=(initializer or partial(_hidden_initializer, activation))(
                seed + index
            ),
            kernel_regularizer=keras.regularizers.L1L2(l1, l2) if (l1 or l2) else None,
            name=f"hidden_{index}",
        )(x)
        if dropout and (dropout_layers is None or index in dropout_layers):
            x = layers.Dropout(dropout, seed=seed + index, name=f"dropout_{index}")(x)
    outputs = _softmax_output(x, classes, seed)
    return keras.Model(inputs, outputs, name=f"mlp_{activation}")


def build_small_cnn(
    input_shape: Sequence[int] = (28, 28),
    filters: Sequence[int] = (16, 32),
    classes: int = 10,
    seed: int = 0,
) -> keras.Model:
    """Return a small CNN: conv → pool stages, then a softmax classifier."""
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = _rescale(inputs)
    if len(input_shape) == 2:
        x = layers.Reshape((*input_shape, 1), name="add_channel")(x)
    for index, count in enumerate(filters, start=1):
        x = layers.Conv2D(
            count,
            5 if index == 1 else 3,
            padding="same",
            activation="relu",
            kernel_initializer=keras.initializers.HeNormal(seed=seed + index),
            name=f"conv_{index}",
        )(x)
        x = layers.MaxPooling2D(2, name=f"max_pool_{index}")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = _softmax_output(x, classes, seed)
    return keras.Model(inputs, outputs, name="small_cnn")


def compile_classifier(
    model: keras.Model, learning_rate: float = 1e-3, decay_steps: int | None = None
) -> keras.Model:
    """Compile `model` for integer labels with Adam (cosine decay if `decay_steps`)."""
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    schedule = (
        keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps)
        if decay_steps
        else learning_rate
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def build_cifar_cnn(
    input_shape: Sequence[int] = (32, 32, 3),
    stages: Sequence[int] = (32, 64, 128),
    classes: int = 10,
    seed: int = 0,
    first_kernel: int = 3,
    first_init_scale: float = 2.0,
) -> keras.Model:
    """Return a VGG-style CNN: per stage two 3×3 convolutions, batch norm, ReLU, 2×2 pooling.

    Random flips and shifts augment the training images inside the model (inactive at
    inference), so a saved file still takes raw 0..255 RGB pixels. The very first convolution
    may be larger (`first_kernel`) and start smaller (`first_init_scale`, He's is 2): batch
    norm makes its scale irrelevant to the output, and what training adds then stands out
    from the initial noise.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = layers.RandomFlip("horizontal", seed=seed, name="augment_flip")(inputs)
    x = layers.RandomTranslation(0.1, 0.1, seed=seed, name="augment_shift")(x)
    x = _rescale(x)
    for stage, filters in enumerate(stages, start=1):
        for position in (1, 2):
            first = stage == 1 and position == 1
            x = layers.Conv2D(
                filters,
                first_kernel if first else 3,
                padding="same",
                use_bias=False,
                kernel_initializer=keras.initializers.VarianceScaling(
                    first_init_scale if first else 2.0,
                    "fan_in",
                    "truncated_normal",
                    seed=seed + 10 * stage + position,
                ),
                name=f"conv_{stage}_{position}",
            )(x)
            x = layers.BatchNormalization(name=f"norm_{stage}_{position}")(x)
            x = layers.ReLU(name=f"relu_{stage}_{position}")(x)
        x = layers.MaxPooling2D(2, name=f"max_pool_{stage}")(x)
    x = layers.GlobalAveragePooling2D(name="average")(x)
    x = layers.Dropout(0.3, seed=seed, name="dropout")(x)
    outputs = _softmax_output(x, classes, seed)
    return keras.Model(inputs, outputs, name="cifar_cnn")


def build_live_cnn(
    input_shape: Sequence[int] = (32, 32, 3),
    filters: Sequence[int] = (16, 32),
    first_kernel: int = 5,
    classes: int = 10,
    seed: int = 0,
) -> keras.Model:
    """Return the small CNN the hierarchy lesson trains live, to watch its first filters form.

    Pixels are centred on 0 (-1..1) so filters learn contrasts rather than overall brightness,
    and the first layer starts at a tenth of He's scale, so the structure it learns stands
    out from its initial noise within a few epochs.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = layers.Rescaling(1.0 / 127.5, offset=-1.0, name="centre")(inputs)
    for index, count in enumerate(filters, start=1):
        initializer = keras.initializers.VarianceScaling(
            2.0 if index > 1 else 0.02, "fan_in", "truncated_normal", seed=seed + index
        )
        x = layers.Conv2D(
            count,
            first_kernel if index == 1 else 3,
            padding="same",
            activation="relu",
            kernel_initializer=initializer,
            name=f"conv_{index}",
        )(x)
        x = layers.MaxPooling2D(2, name=f"max_pool_{index}")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = _softmax_output(x, classes, seed)
    return keras.Model(inputs, outputs, name="live_cnn")


def build_block_cnn(
    input_shape: Sequence[int] = (32, 32, 3),
    filters: Sequence[int] = (16, 32, 64, 64),
    classes: int = 5,
    seed: int = 0,
) -> keras.Model:
    """Return a CNN of blocks (3×3 convolution, ReLU, 2×2 pooling), then a softmax classifier.

    Block k's convolution is named `block_k`, so a transfer experiment can copy a trained
    network's first k blocks into a fresh one. Pixels are centred on 0 (-1..1).
    """
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = layers.Rescaling(1.0 / 127.5, offset=-1.0, name="centre")(inputs)
    if len(input_shape) == 2:
        x = layers.Reshape((*input_shape, 1), name="add_channel")(x)
    for index, count in enumerate(filters, start=1):
        x = layers.Conv2D(
            count, 3, padding="same", activation="relu",
            kernel_initializer=_he(100 * seed + index), name=f"block_{index}",
        )(x)  # fmt: skip
        x = layers.MaxPooling2D(2, name=f"pool_{index}")(x)
    outputs = _softmax_output(layers.Flatten(name="flatten")(x), classes, seed)
    return keras.Model(inputs, outputs, name="block_cnn")


def build_counting_lstm(units: int = 8, seed: int = 0) -> keras.Model:
    """Return an LSTM that reads bits one per step and outputs the running count of ones."""
    inputs = keras.Input(shape=(None, 1), name="bits")
    states = layers.LSTM(
        units,
        return_sequences=True,
        kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
        recurrent_initializer=keras.initializers.Orthogonal(seed=seed + 1),
        name="lstm",
    )(inputs)
    counts = layers.Dense(
        1, kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 2), name="count"
    )(states)
    return keras.Model(inputs, counts, name="counting_lstm")


def build_autoencoder(
    hidden_units: Sequence[int] = (128, 32), bottleneck: int = 2, seed: int = 0
) -> keras.Model:
    """Return a dense autoencoder for 28×28 digits as an "encoder" and a "decoder" model.

    The encoder maps raw 0..255 pixels through `hidden_units` to `bottleneck` numbers; the
    decoder mirrors it back to 28×28 pixels in 0..1.
    """
    pixels = keras.Input(shape=(28, 28), name="pixels")
    x = layers.Flatten(name="flatten")(_rescale(pixels))
    for index, units in enumerate(hidden_units, start=1):
        x = layers.Dense(
            units, "relu", kernel_initializer=_he(seed + index), name=f"encode_{index}"
        )(x)
    code = layers.Dense(bottleneck, kernel_initializer=_he(seed + 10), name="code")(x)
    encoder = keras.Model(pixels, code, name="encoder")

    code_input = keras.Input(shape=(bottleneck,), name="code_input")
    y = code_input
    for index, units in enumerate(reversed(hidden_units), start=1):
        y = layers.Dense(
            units, "relu", kernel_initializer=_he(seed + 20 + index), name=f"decode_{index}"
        )(y)
    y = layers.Dense(784, "sigmoid", kernel_initializer=_he(seed + 30), name="decode_pixels")(y)
    decoder = keras.Model(code_input, layers.Reshape((28, 28), name="image")(y), name="decoder")

    inputs = keras.Input(shape=(28, 28), name="digit")
    return keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")


def _he(seed: int) -> keras.initializers.Initializer:
    return keras.initializers.HeNormal(seed=seed)
