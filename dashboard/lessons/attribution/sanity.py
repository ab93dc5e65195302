"""The sanity check of Adebayo et al. (2018) on the shipped CNNs, and its read-back."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from dashboard.lessons.attribution.attribution import (
    METHODS,
    PATH_STEPS,
    SMOOTH_SAMPLES,
    Progress,
    attribution_maps,
    randomized_from_top,
    rank_correlation,
    weighted_layers,
)

SEEDS = (0, 1, 2)
SHOWN_IMAGES = 6  # the first test images the trained model gets right
NETWORKS = {"cifar": ("cifar10_cnn", "cifar10"), "digits": ("mnist_cnn_small", "mnist")}


def shown_images(
    model: keras.Model, images: np.ndarray, labels: np.ndarray, count: int = SHOWN_IMAGES
):
    """Return the indices of the first `count` test images the model classifies correctly."""
    predictions = np.argmax(model.predict(images[:200], verbose=0), axis=1)
    return np.flatnonzero(predictions == labels[:200])[:count]


def brightness(image: np.ndarray) -> np.ndarray:
    """Return an image's brightness per pixel (summed over colour channels)."""
    return image.sum(axis=-1) if image.ndim == 3 else image


def _rows(images, trained, maps, count: int, layer: str, seed: int) -> list[dict]:
    rows = []
    for image in range(len(images)):
        for index, method in enumerate(METHODS):
            rows.append(
                {
                    "randomized": count,
                    "layer": layer,
                    "image": image,
                    "method": method,
                    "seed": seed,
                    "spearman": rank_correlation(trained[image, index], maps[image, index]),
                    "image_likeness": rank_correlation(
                        brightness(images[image]), maps[image, index]
                    ),
                }
            )
    return rows


def cascade(
    model: keras.Model,
    images: np.ndarray,
    classes: np.ndarray,
    seed: int,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Return each map's rank correlation with the trained model's as the weighted layers are
    redrawn from the top, one more at a time (0: the trained model itself), and with the
    image's brightness; and the trained and the fully random maps."""

    def all_maps(network):
        return np.stack([attribution_maps(network, image, c) for image, c in zip(images, classes)])

    layers = weighted_layers(model)
    trained = maps = all_maps(model)
    rows = _rows(images, trained, trained, 0, "none", seed)
    for count in range(1, len(layers) + 1):
        maps = all_maps(randomized_from_top(model, count, seed))
        rows += _rows(images, trained, maps, count, layers[count - 1], seed)
        if progress is not None:
            progress(
                count / len(layers), f"seed {seed}: top {count} of {len(layers)} layers redrawn"
            )
    return pd.DataFrame(rows), trained, maps


def curve(table: pd.DataFrame, column: str = "spearman") -> pd.DataFrame:
    """Return per (method, layers redrawn) the mean `column` over images, averaged over
    seeds, with the lowest and highest seed's mean."""
    per_seed = table.groupby(["method", "randomized", "seed"])[column].mean()
    grouped = per_seed.groupby(["method", "randomized"])
    return pd.DataFrame({"low": grouped.min(), "mean": grouped.mean(), "high": grouped.max()})


def fully_random(table: pd.DataFrame, column: str = "spearman") -> pd.DataFrame:
    """Return each method's `column` once every weighted layer is redrawn."""
    frame = curve(table, column)
    return frame.xs(table["randomized"].max(), level="randomized").reindex(list(METHODS))


def trained_likeness(table: pd.DataFrame) -> pd.Series:
    """Return each method's trained map's rank correlation with the image's brightness."""
    trained = table[table["randomized"] == 0]
    return trained.groupby("method")["image_likeness"].mean().reindex(list(METHODS))


def extremes(final: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Return the methods that change most and least once every layer is redrawn: the one
    with the lowest (highest) mean ρ, with every method whose seed range overlaps it."""
    most, least = final["mean"].idxmin(), final["mean"].idxmax()
    tied_most = [
        m for m in final.index if m == most or final.loc[m, "low"] <= final.loc[most, "high"]
    ]
    tied_least = [
        m for m in final.index if m == least or final.loc[m, "high"] >= final.loc[least, "low"]
    ]
    return tied_most, tied_least


def _names(methods: list[str]) -> str:
    bold = [f"**{method}**" for method in methods]
    return bold[0] if len(bold) == 1 else f"{', '.join(bold[:-1])} and {bold[-1]}"


def sanity_sentences(
    table: pd.DataFrame, model_name: str, black_share: float | None = None
) -> list[str]:
    """Return the read-back: each method's ρ once every layer is redrawn, which change most
    and least (ties: seed ranges that overlap), and the brightness control. `black_share`,
    the images' share of exactly black pixels, words why integrated gradients keep them."""
    final = fully_random(table).sort_values("mean")
    seeds = table["seed"].nunique()
    lines = [
        f"With every weighted layer of the {model_name} redrawn, the maps still rank the pixels "
        "as before by Spearman's ρ = "
        + "; ".join(
            f"**{method}** {row['mean']:.2f}"
            + (f" ({row['low']:.2f}–{row['high']:.2f})" if seeds > 1 else "")
            for method, row in final.iterrows()
        )
        + f" (mean over {table['image'].nunique()} images, {_count(seeds, 'seed')}; "
        "1 = unchanged, 0 = unrelated; an all-zero map counts as 0)."
    ]
    most, least = extremes(final)
    if seeds > 1:
        lines.append(
            f"Changed most: {_names(most)}; changed least: {_names(least)} (methods named "
            "together have overlapping seed ranges)."
        )
    likeness, random_likeness = trained_likeness(table), fully_random(table, "image_likeness")
    lines.append(
        "Control: how much each map ranks pixels like the image's own brightness, trained → "
        "random: "
        + "; ".join(
            f"{method} {likeness[method]:.2f} → {random_likeness.loc[method, 'mean']:.2f}"
            for method in METHODS
        )
        + ". A map that stays close to the image after its weights are noise explains the "
        "image, not the model."
    )
    if black_share is not None and black_share > 0.5:
        lines.append(
            f"{black_share:.0%} of these images' pixels are black, and integrated gradients "
            "from a black image are exactly 0 there whatever the weights: their ρ mostly says "
            "where the ink is, not how the pixels within it are ranked."
        )
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def sanity_cost(model: keras.Model, images: int):
    """Return the cost of one seed's cascade: per image and step, about 60 backward passes
    (gradient, 25 noisy copies, 32 path points, Grad-CAM)."""
    from dashboard.core.budget import BUILD_STEPS, Cost, model_forward_flops

    steps = len(weighted_layers(model)) + 1
    passes = images * steps * (2 + SMOOTH_SAMPLES + PATH_STEPS)
    return Cost(3 * model_forward_flops(model) * passes, BUILD_STEPS * steps)


def run_sanity(
    model: keras.Model, dataset, seeds=SEEDS, progress: Progress | None = None
) -> dict[str, np.ndarray]:
    """Return the shown images, their classes, the trained maps, the fully random maps of the
    first seed, and the cascade's table as arrays ("table/<column>")."""
    chosen = shown_images(model, dataset.x_test, dataset.y_test)
    images, classes = dataset.x_test[chosen].astype(np.float32), dataset.y_test[chosen]
    tables, random_maps = [], None
    for step, seed in enumerate(seeds):

        def report(fraction: float, text: str, step=step) -> None:
            if progress is not None:
                progress((step + fraction) / len(seeds), text)

        table, trained, maps = cascade(model, images, classes, seed, report)
        tables.append(table)
        random_maps = maps if random_maps is None else random_maps
    table = pd.concat(tables, ignore_index=True)
    arrays = {"images": images, "classes": classes, "trained": trained, "random": random_maps}
    columns = {  # text as fixed-width strings: an .npz of objects would need pickle to load
        f"table/{name}": values.to_numpy(dtype=None if is_numeric_dtype(values) else str)
        for name, values in table.items()
    }
    return arrays | columns


def sanity_table(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """Return the cascade's table from `run_sanity`'s arrays."""
    return pd.DataFrame(
        {key.split("/", 1)[1]: value for key, value in arrays.items() if key.startswith("table/")}
    )


def black_share(images: np.ndarray) -> float:
    """Return the share of pixels that are exactly black (every colour channel 0)."""
    return float(np.mean(images.max(axis=-1) == 0 if images.ndim == 4 else images == 0))
