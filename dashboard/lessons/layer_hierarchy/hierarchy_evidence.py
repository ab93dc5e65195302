"""Evidence for what each hidden layer of a CNN detects, measured rather than asserted.

Two measurements tell the stages apart:
- edge probes: step edges at eight orientations and flat colours, shown to the first layer;
  a channel that answers its best edge at least twice as strongly as the average orientation
  is an oriented edge detector, one that answers a flat colour more is a colour detector;
- class purity: the share of a channel's top-9 test images that come from one class. Patterns
  found in every class keep it near chance; a class-selective channel's top images share one.

The stages are named by these measures, not by the edges → textures → parts story: whether a
layer's patterns are small local ones, shared by every class, or class-selective.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from dashboard.core import conv_layers
from dashboard.lessons.layer_hierarchy import feature_vis, hierarchy

EDGE_DIRECTIONS = 16  # 8 orientations × 2 polarities
PROBE_COLOURS = (
    (200, 55, 55),
    (55, 200, 55),
    (55, 55, 200),
    (200, 200, 55),
    (55, 200, 200),
    (200, 55, 200),
    (55, 55, 55),
    (200, 200, 200),
)
TUNING_FOR_EDGE = 2.0  # best orientation / mean over orientations
PARTS_PURITY_RATIO = 1.5  # class purity this many times chance: the layer is class-selective
EDGE_FIELD = 7  # layers whose units see at most this many pixels: "small local patterns"
STAGES = ("small local patterns", "patterns shared by every class", "class-selective patterns")


def edge_probes(height: int, width: int, channels: int = 3) -> np.ndarray:
    """Return step edges through the centre in EDGE_DIRECTIONS directions, light 200 on dark 55."""
    rows, columns = np.mgrid[:height, :width]
    rows, columns = rows - (height - 1) / 2, columns - (width - 1) / 2
    angles = np.arange(EDGE_DIRECTIONS) * 2 * np.pi / EDGE_DIRECTIONS
    light = [(np.cos(angle) * columns + np.sin(angle) * rows) > 0 for angle in angles]
    images = np.where(np.array(light), 200.0, 55.0)
    return _with_channels(images, channels)


def colour_probes(height: int, width: int, channels: int = 3) -> np.ndarray:
    """Return flat images of PROBE_COLOURS (grey levels when `channels` is 1)."""
    images = np.array([np.broadcast_to(colour, (height, width, 3)) for colour in PROBE_COLOURS])
    return images.astype(np.float32) if channels == 3 else images.mean(axis=-1, dtype=np.float32)


def _with_channels(images: np.ndarray, channels: int) -> np.ndarray:
    images = images.astype(np.float32)
    return np.repeat(images[..., np.newaxis], 3, axis=-1) if channels == 3 else images


@dataclass(frozen=True)
class EdgeTest:
    """How the channels of a layer answer edge and colour probes at the image centre."""

    kinds: np.ndarray  # per channel: "edge", "colour" or "weak"
    tuning: np.ndarray  # best edge response / mean over directions
    best_direction: np.ndarray  # degrees, 0..360 (direction of the light side)

    def count(self, kind: str) -> int:
        return int((self.kinds == kind).sum())


def edge_test(model: keras.Model, layer_name: str) -> EdgeTest:
    """Show edge and colour probes to `model`; classify each channel of `layer_name`."""
    shape = model.input_shape[1:]
    height, width = shape[:2]
    channels = shape[2] if len(shape) == 3 else 1
    extractor = keras.Model(model.input, model.get_layer(layer_name).output)
    edges = _centre_response(extractor, edge_probes(height, width, channels))
    colours = _centre_response(extractor, colour_probes(height, width, channels))
    best_edge, best_colour = edges.max(axis=0), colours.max(axis=0)
    tuning = best_edge / np.maximum(edges.mean(axis=0), 1e-6)
    kinds = np.where(
        best_colour > best_edge, "colour", np.where(tuning >= TUNING_FOR_EDGE, "edge", "weak")
    )
    best_direction = edges.argmax(axis=0) * 360 / EDGE_DIRECTIONS
    return EdgeTest(kinds, tuning, best_direction)


def _centre_response(extractor: keras.Model, images: np.ndarray) -> np.ndarray:
    maps = np.asarray(extractor(images, training=False))  # (n, h, w, channels)
    return maps[:, maps.shape[1] // 2, maps.shape[2] // 2]


def class_purity(top_images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Return per channel the share of its top images (channels, count) from its commonest class."""
    classes = labels[top_images]  # (channels, count)
    counts = np.stack([np.bincount(row, minlength=labels.max() + 1) for row in classes])
    return counts.max(axis=1) / top_images.shape[1]


def chance_purity(labels: np.ndarray, count: int = 9, draws: int = 4000, seed: int = 0) -> float:
    """Return the mean class purity of `count` test images drawn at random (no channel)."""
    rng = np.random.default_rng(seed)
    picks = np.stack([rng.choice(len(labels), count, replace=False) for _ in range(draws)])
    return float(class_purity(picks, labels).mean())


def stage_of(field: int, purity: float, chance: float) -> str:
    """Return the layer's stage from its receptive field and its channels' mean class purity."""
    if purity >= PARTS_PURITY_RATIO * chance:
        return STAGES[2]
    return STAGES[0] if field <= EDGE_FIELD else STAGES[1]


@dataclass(frozen=True)
class LayerEvidence:
    """What one feature layer shows: its field, class purity, stage and best example channel."""

    name: str
    field: int
    purity: float  # mean over its channels
    chance: float
    stage: str
    example_channel: int  # the channel with the purest top images
    example_class: str
    example_share: float
    top_count: int = 9  # top images per channel

    def caption(self) -> str:
        return (
            f"{self.name}: {self.stage}. Each unit sees {self.field}×{self.field} pixels; the "
            f"{self.top_count} test images that excite a channel most share a class "
            f"{self.purity:.0%} of the time (chance: {self.chance:.0%}). Channel "
            f"#{self.example_channel}: {round(self.example_share * self.top_count)} of its "
            f"{self.top_count} are '{self.example_class}'."
        )


def layer_evidence(
    top_images: dict[str, np.ndarray],
    fields: dict[str, int],
    labels: np.ndarray,
    class_names: list[str],
) -> list[LayerEvidence]:
    """Return the evidence for each layer of `top_images` (name → (channels, 9) image indices)."""
    chance = chance_purity(labels, next(iter(top_images.values())).shape[1])
    evidence = []
    for name, indices in top_images.items():
        purity = class_purity(indices, labels)
        example = int(purity.argmax())
        commonest = np.bincount(labels[indices[example]]).argmax()
        evidence.append(
            LayerEvidence(
                name=name,
                field=fields[name],
                purity=float(purity.mean()),
                chance=chance,
                stage=stage_of(fields[name], float(purity.mean()), chance),
                example_channel=example,
                example_class=class_names[commonest],
                example_share=float(purity[example]),
                top_count=indices.shape[1],
            )
        )
    return evidence


def channels_to_show(
    model: keras.Model, layer_name: str, top_images: np.ndarray, labels: np.ndarray, count: int = 16
) -> np.ndarray:
    """Return the `count` channels that best show what a layer detects, clearest first.

    In a layer whose units see at most EDGE_FIELD pixels: the most orientation-tuned
    channels in the edge test. Deeper: the channels whose top images are purest in class.
    """
    if conv_layers.receptive_fields(model)[layer_name] <= EDGE_FIELD:
        score = edge_test(model, layer_name).tuning
    else:
        score = class_purity(top_images, labels)
    return np.argsort(-score, kind="stable")[:count]


def layer_pictures(
    model: keras.Model,
    images: np.ndarray,
    labels: np.ndarray,
    layer_name: str,
    visualized: int = 16,
    with_patches: int = 8,
    on_step: Callable[[int, int], None] | None = None,
) -> dict[str, np.ndarray]:
    """Return what the lesson shows for one layer, as shipped in `cifar10_features`.

    Keys: top_images (every channel's top-9 image indices), channels (the `visualized`
    clearest, see `channels_to_show`), visualization (one image per shown channel), patches
    (top-9 patches of the first `with_patches` shown channels, interior units only) and
    padding (see `padding_bias`). `on_step` reports the gradient ascent's progress.
    """
    top, positions = hierarchy.top_images(model, images, layer_name)
    channels = channels_to_show(model, layer_name, top, labels, visualized)
    return {
        "top_images": top.astype(np.int16),
        "padding": padding_bias(model, images, layer_name, positions),
        "channels": channels,
        "visualization": feature_vis.visualize(model, layer_name, channels, on_step=on_step),
        "patches": hierarchy.top_patches(model, images, layer_name, channels[:with_patches])[0],
    }


def padding_bias(
    model: keras.Model, images: np.ndarray, layer_name: str, positions: np.ndarray
) -> np.ndarray:
    """Return [share of top-9 units whose field crosses the zero padding, share of all units
    whose field does], for top units ranked over every position (`positions`, c×9×2).

    The first above the second means the borders win more often than their number explains:
    zero padding beside a dark image looks like an edge.
    """
    mask = hierarchy.interior_mask(model, images, layer_name)
    crossing = ~mask[positions[..., 0], positions[..., 1]]
    return np.array([crossing.mean(), 1 - mask.mean()])


def filter_smoothness(filters: np.ndarray) -> float:
    """Return the mean correlation of neighbouring weights in filters (n, k, k, channels).

    About 0 for random initial filters; smooth edges and blobs approach 1. Each colour
    plane is correlated across and down separately.
    """
    planes = np.moveaxis(np.asarray(filters, dtype=float), -1, 1).reshape(-1, *filters.shape[1:3])
    pairs = [
        (planes[:, :, :-1], planes[:, :, 1:]),  # across
        (planes[:, :-1, :], planes[:, 1:, :]),  # down
    ]
    correlations = [
        np.corrcoef(a.ravel(), b.ravel())[0, 1]
        for first, second in pairs
        for a, b in zip(first, second)
        if a.std() > 0 and b.std() > 0
    ]
    return float(np.mean(correlations)) if correlations else 0.0
