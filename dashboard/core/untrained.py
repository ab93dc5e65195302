"""Controls for claims about trained weights: the same layer's weights before training.

A claim such as "the first layer learned smooth strokes" only means something against the
weights the layer started from. Its own initializer, given other seeds, draws them again.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np

CONTROL_SEEDS = (0, 1, 2)


def untrained_kernels(layer: keras.layers.Layer, seeds: Sequence[int] = CONTROL_SEEDS) -> list:
    """Return `layer`'s kernel as its own initializer draws it before training, once per seed."""
    config = keras.initializers.serialize(layer.kernel_initializer)
    shape = tuple(layer.kernel.shape)
    kernels = []
    for seed in seeds:
        seeded = {**config, "config": {**config.get("config", {}), "seed": int(seed)}}
        kernels.append(np.asarray(keras.initializers.deserialize(seeded)(shape)))
    return kernels


def untrained_copy(model: keras.Model, seed: int) -> keras.Model:
    """Return a copy of `model` as it was before training, its kernels drawn with `seed`.

    The copy has the same layers and shapes; every kernel is drawn again by its own
    initializer (biases, batch-norm statistics and the like take their initial values), so
    it is the same network with nothing learned.
    """
    copy = keras.models.clone_model(model)
    for layer in copy.layers:
        if getattr(layer, "kernel_initializer", None) is not None and hasattr(layer, "kernel"):
            layer.kernel.assign(untrained_kernels(layer, seeds=(seed,))[0])
    return copy
