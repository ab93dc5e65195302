"""One test per stage of the edges → textures → parts → objects story, trained against untrained.

Each stage is named by what its test measures, on the trained CNN and on untrained copies
(the same network, kernels drawn again by their initializers, several seeds):
- edges: how closely a first-layer filter matches its best light–dark step edge (cosine
  similarity, 0 for no edge in it, 1 for a clean edge);
- textures: a channel's selectivity (its top-9 test images' peak over the median image's)
  while its response survives block-scrambling (it wants local statistics, not layout);
- parts: the share of a channel's response to its top-9 images that survives shuffling them
  in blocks of about its receptive field: arrangement matters when it drops;
- objects: the share of an output unit's top-9 test images that are its own class.
A stage holds when the trained value lies beyond every untrained copy's, in its direction,
by more than the copies differ among themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import pandas as pd

from dashboard.core.conv_layers import feature_layers, receptive_fields
from dashboard.core.untrained import untrained_copy

CONTROL_SEEDS = (1, 2, 3)
TOP = 9  # top images per channel
EDGE_ANGLES = 16  # step edges through the centre, every 11.25°


@dataclass(frozen=True)
class StageTest:
    """One stage's test: what it measures, and which way the trained side lies."""

    measure: str
    higher_is_stage: bool


STAGE_TESTS = {
    "edges": StageTest("alignment with its best light–dark edge (median filter)", True),
    "textures": StageTest("top-9 peak / median image's peak (median channel)", True),
    "parts": StageTest("response kept after block-scrambling its top-9 images", False),
    "objects": StageTest("share of an output unit's top-9 images of its class", True),
}


def scramble_blocks(images: np.ndarray, block: int, seed: int = 0) -> np.ndarray:
    """Return `images` (n, h, w, c) with their block×block tiles shuffled, per image."""
    n, height, width, channels = images.shape
    rows, columns = height // block, width // block
    tiles = images[:, : rows * block, : columns * block].reshape(
        n, rows, block, columns, block, channels
    )
    tiles = tiles.transpose(0, 1, 3, 2, 4, 5).reshape(n, rows * columns, block, block, channels)
    rng = np.random.default_rng(seed)
    shuffled = np.stack([tile_set[rng.permutation(rows * columns)] for tile_set in tiles])
    shuffled = shuffled.reshape(n, rows, columns, block, block, channels).transpose(
        0, 1, 3, 2, 4, 5
    )
    out = images.copy()
    out[:, : rows * block, : columns * block] = shuffled.reshape(
        n, rows * block, columns * block, channels
    )
    return out


def scramble_block(field: int, image_size: int) -> int:
    """Return the block side for a layer: the largest power of two within its field, ≤ half."""
    return int(min(2 ** np.floor(np.log2(max(field, 2))), image_size // 2))


def edge_alignment(kernel: np.ndarray) -> np.ndarray:
    """Return per filter (k, k, in, out) its cosine similarity with its best light–dark edge.

    The edge is a ±1 step through the filter's centre at one of 16 angles, the same on every
    colour plane; the filter's mean is removed first, so a flat or colour-only filter scores
    near 0 and a filter that is one clean edge scores 1.
    """
    size, channels = kernel.shape[0], kernel.shape[2]
    rows, columns = np.mgrid[:size, :size] - (size - 1) / 2
    weights = kernel - kernel.mean(axis=(0, 1, 2), keepdims=True)
    norms = np.linalg.norm(weights.reshape(-1, weights.shape[-1]), axis=0)
    best = np.zeros(kernel.shape[-1])
    for angle in np.arange(EDGE_ANGLES) * np.pi / EDGE_ANGLES:
        step = np.sign(np.cos(angle) * columns + np.sin(angle) * rows)
        edge = np.repeat(step[:, :, None, None], channels, axis=2)
        cosine = np.abs((weights * edge).sum(axis=(0, 1, 2))) / np.maximum(
            norms * np.linalg.norm(edge), 1e-12
        )
        best = np.maximum(best, cosine)
    return best


def first_kernel(model: keras.Model) -> np.ndarray:
    """Return the kernel of the model's first convolution."""
    conv = next(layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D))
    return np.asarray(conv.kernel)


def layer_measures(model: keras.Model, layer: str, images: np.ndarray) -> tuple[float, float]:
    """Return (selectivity, scramble kept) of a layer: medians over its channels."""
    extractor = keras.Model(model.input, model.get_layer(layer).output)
    peaks = np.asarray(extractor(images, training=False)).max(axis=(1, 2))  # (n, channels)
    top = np.argsort(-peaks, axis=0, kind="stable")[:TOP].T  # (channels, 9)
    channels = np.arange(len(top))[:, None]
    original = peaks[top, channels]  # (channels, 9)
    selectivity = original.mean(axis=1) / np.maximum(np.median(peaks, axis=0), 1e-6)
    block = scramble_block(receptive_fields(model)[layer], images.shape[1])
    scrambled = scramble_blocks(images[top.ravel()], block).reshape(*top.shape, *images.shape[1:])
    kept = [
        np.asarray(extractor(scrambled[channel], training=False))[..., channel]
        .max(axis=(1, 2))
        .mean()
        / max(original[channel].mean(), 1e-6)
        for channel in range(len(top))
    ]
    return float(np.median(selectivity)), float(np.median(kept))


def object_share(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> float:
    """Return the share of each output unit's top-9 test images that are its own class."""
    outputs = np.asarray(model(images, training=False))
    top = np.argsort(-outputs, axis=0, kind="stable")[:TOP].T  # (classes, 9)
    return float((labels[top] == np.arange(len(top))[:, None]).mean())


def measure_model(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> list[dict]:
    """Return every stage measure of one model, one row per (stage, layer)."""
    layers = feature_layers(model)
    rows = [
        {
            "stage": "edges",
            "layer": layers[0],
            "value": float(np.median(edge_alignment(first_kernel(model)))),
        }
    ]
    for layer in layers:
        selectivity, kept = layer_measures(model, layer, images)
        rows.append({"stage": "textures", "layer": layer, "value": selectivity})
        rows.append({"stage": "parts", "layer": layer, "value": kept})
    rows.append(
        {"stage": "objects", "layer": "output", "value": object_share(model, images, labels)}
    )
    return rows


def stage_table(
    model: keras.Model, images: np.ndarray, labels: np.ndarray, seeds=CONTROL_SEEDS
) -> pd.DataFrame:
    """Return every stage measure of `model` and of its untrained copies, one row each."""
    images = images.astype(np.float32)
    rows = [{**row, "model": "trained"} for row in measure_model(model, images, labels)]
    for seed in seeds:
        copy = untrained_copy(model, seed)
        rows += [
            {**row, "model": f"untrained {seed}"} for row in measure_model(copy, images, labels)
        ]
    return pd.DataFrame(rows)


def stage_verdicts(table: pd.DataFrame) -> pd.DataFrame:
    """Return per (stage, layer) the trained value, the untrained range and whether it holds.

    A stage holds at a layer when the trained value lies beyond every untrained copy's, in
    the stage's direction, by more than the copies' own spread; textures also keep at least
    the untrained copies' lowest response after scrambling (layout does not matter to them).
    """
    trained = table[table["model"] == "trained"].set_index(["stage", "layer"])["value"]
    untrained = table[table["model"] != "trained"].groupby(["stage", "layer"])["value"]
    low, high = untrained.min(), untrained.max()
    rows = []
    for (stage, layer), value in trained.items():
        spread = high[stage, layer] - low[stage, layer]
        if STAGE_TESTS[stage].higher_is_stage:
            holds = value > high[stage, layer] + spread
        else:
            holds = value < low[stage, layer] - spread
        if stage == "textures":
            holds = holds and trained["parts", layer] >= low["parts", layer]
        rows.append(
            {
                "stage": stage,
                "layer": layer,
                "trained": float(value),
                "untrained_low": float(low[stage, layer]),
                "untrained_high": float(high[stage, layer]),
                "holds": bool(holds),
            }
        )
    return pd.DataFrame(rows)


STAGE_WORDS = {
    "edges": "the median filter matches its best light–dark edge with cosine {trained:.2f}, "
    "in untrained copies {low:.2f}–{high:.2f}",
    "textures": "the median channel's 9 strongest test images excite it {trained:.1f}× as much "
    "as the median image does (untrained {low:.1f}–{high:.1f}×), and shuffling them in blocks "
    "keeps {kept:.0%} of that (untrained {kept_low:.0%}–{kept_high:.0%}): local statistics, "
    "not layout",
    "parts": "shuffling a channel's 9 strongest images in blocks of about its field leaves the "
    "median channel {trained:.0%} of its response (untrained {low:.0%}–{high:.0%}): the "
    "arrangement matters",
    "objects": "{trained:.0%} of each output unit's 9 strongest test images are its own class "
    "(untrained {low:.0%}–{high:.0%}; chance 10%)",
}


def stage_sentence(verdicts: pd.DataFrame, stage: str) -> str:
    """Return the read-back of one stage: the layers where its test holds, the deepest's values."""
    rows = verdicts[verdicts["stage"] == stage]
    held = rows[rows["holds"]]
    if held.empty:
        return f"**{stage.capitalize()}**: no layer passes its test against untrained copies."
    shown = held.iloc[-1]
    numbers = {"trained": shown.trained, "low": shown.untrained_low, "high": shown.untrained_high}
    if stage == "textures":
        kept = verdicts[(verdicts["stage"] == "parts") & (verdicts["layer"] == shown.layer)].iloc[0]
        numbers |= {"kept": kept.trained, "kept_low": kept.untrained_low}
        numbers |= {"kept_high": kept.untrained_high}
    where = ", ".join(held["layer"])
    place = "the output layer" if shown.layer == "output" else shown.layer
    words = STAGE_WORDS[stage].format(**numbers)
    return f"**{stage.capitalize()}** hold at {where}. At {place}, {words}."
