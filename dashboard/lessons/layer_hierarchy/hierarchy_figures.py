"""Figures for the layer hierarchy lesson: RGB filter grids, feature maps, Grad-CAM."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.core import palette
from dashboard.core.figures import (
    BASE_TEMPLATE,
    epoch_slider,
    level_line,
    level_note,
    panel_axes,
    panels_layout,
    play_button,
)
from dashboard.core.image_figures import rgb_grid, tile


def grad_cam_overlay(image: np.ndarray, heatmap: np.ndarray, title: str = "") -> go.Figure:
    """Return the image with the Grad-CAM heatmap laid over it, half transparent."""
    layout = {
        "template": BASE_TEMPLATE,
        "height": 320,
        "width": 320,
        "title": {"text": title} if title else None,
        "xaxis": {"visible": False, "range": [-0.5, image.shape[1] - 0.5]},
        "yaxis": {"visible": False, "scaleanchor": "x", "autorange": "reversed"},
        "margin": {"t": 40 if title else 5, "b": 5, "l": 5, "r": 5},
    }
    traces = [
        go.Image(z=image, hoverinfo="skip"),
        go.Heatmap(
            z=heatmap,
            colorscale=palette.SEQUENTIAL,
            opacity=0.45,
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="importance %{z:.2f}<extra></extra>",
        ),
    ]
    return go.Figure(traces, layout)


def receptive_field_chart(fields: pd.DataFrame) -> go.Figure:
    """Return the receptive field size of each feature layer against the input's size."""
    trace = go.Bar(
        x=fields["layer"],
        y=fields["receptive field"],
        marker_color=palette.BLUE,
        text=[f"{size}×{size}" for size in fields["receptive field"]],
        hovertemplate="%{x}: sees %{text} input pixels<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 300,
        "margin": {"t": 10},
        "yaxis": {"title": {"text": "pixels on a side"}},
        "shapes": [level_line(32)],
        "annotations": [level_note(32, "the whole image (32)")],
    }
    return go.Figure(trace, layout)


def filter_evolution(
    snapshots: Sequence[np.ndarray],
    captions: Sequence[str],
    columns: int = 8,
    tile_pixels: int = 70,
) -> go.Figure:
    """Return first-layer filters (n, k, k, 3) per epoch, scrubbed by a slider or played.

    `snapshots[i]` are the filters after epoch i (0: as initialized); `captions[i]` titles
    that frame. The browser switches frames itself: scrubbing reruns no Python.
    """
    count, height, width, _ = snapshots[0].shape
    epochs = list(range(len(snapshots)))
    mosaics = [tile(filters, columns, 255).astype(np.uint8) for filters in snapshots]
    rows = int(np.ceil(count / columns))
    layout = {
        "template": BASE_TEMPLATE,
        "title": {"text": captions[-1]},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x"},
        "height": rows * tile_pixels + 170,
        "margin": {"t": 40, "b": 10, "l": 40, "r": 5},
        "sliders": [epoch_slider(epochs)],
        "updatemenus": [play_button()],
    }
    frames = [
        go.Frame(name=str(epoch), data=[go.Image(z=mosaic)], layout={"title": {"text": caption}})
        for epoch, mosaic, caption in zip(epochs, mosaics, captions)
    ]
    return go.Figure(go.Image(z=mosaics[-1], hoverinfo="skip"), layout, frames)


def resize_nearest(image: np.ndarray, size: int) -> np.ndarray:
    """Return a square image (s, s, 3) blown up or shrunk to (size, size, 3), pixels kept sharp."""
    index = np.arange(size) * image.shape[0] // size
    return image[index][:, index]


def hierarchy_strip(
    visualizations: Sequence[np.ndarray], patches: Sequence[np.ndarray], titles: Sequence[str]
) -> go.Figure:
    """Return one example channel per layer: its feature visualization above its top patch.

    Both are drawn at one size, whatever the field each was cropped to.
    """
    size = max(image.shape[0] for image in [*visualizations, *patches])
    images = np.stack(
        [resize_nearest(image, size) for image in [*visualizations, *patches]]
    ).astype(np.uint8)
    return rgb_grid(images, titles, columns=len(visualizations), tile_pixels=130)


def purity_chart(evidence: Sequence) -> go.Figure:
    """Return each layer's class purity of its channels' top-9 images against chance.

    `evidence` holds `hierarchy_evidence.LayerEvidence` items, input side first.
    """
    chance = evidence[0].chance
    trace = go.Bar(
        x=[item.name for item in evidence],
        y=[item.purity for item in evidence],
        text=[item.stage for item in evidence],
        marker_color=palette.BLUE,
        hovertemplate="%{x}: %{y:.0%} of top-9 images share a class · %{text}<extra></extra>",
    )
    layout = {
        "template": BASE_TEMPLATE,
        "height": 300,
        "margin": {"t": 10, "r": 150},  # the chance note sits right of the bars, never on them
        "yaxis": {"title": {"text": "top-9 images of one class"}, "tickformat": ".0%"},
        "shapes": [level_line(chance)],
        "annotations": [
            level_note(chance, f"9 random images<br>({chance:.0%})")
            | {"x": 1.0, "xanchor": "left", "yanchor": "middle"}
        ],
    }
    return go.Figure(trace, layout)


HOLDS, FAILS = palette.BLUE, palette.LIGHT_GREY  # Okabe–Ito blue; light grey
STAGE_AXES = {
    "edges": "cosine with best edge",
    "textures": "top-9 / median image",
    "parts": "response kept, shuffled",
    "objects": "own-class share of top 9",
}


def stage_chart(table: pd.DataFrame, verdicts: pd.DataFrame) -> go.Figure:
    """Return one panel per stage test: the trained CNN against its untrained copies, by layer.

    A filled diamond is the trained network (dark where the stage's test holds), open
    circles the untrained copies.
    """
    stages = list(STAGE_AXES)
    layout = panels_layout([stage.capitalize() for stage in stages], gap=0.07)
    traces = []
    for index, stage in enumerate(stages):
        rows = table[table["stage"] == stage]
        untrained = rows[rows["model"] != "trained"]
        trained = rows[rows["model"] == "trained"]
        holds = verdicts[verdicts["stage"] == stage].set_index("layer")["holds"]
        common = {**panel_axes(index), "legendgroup": "", "showlegend": index == 0}
        traces.append(
            go.Scatter(
                x=untrained["layer"], y=untrained["value"], mode="markers",
                marker={"symbol": "circle-open", "size": 9, "color": palette.GREY},
                name="untrained copies (3 seeds)", **common,
            )
        )  # fmt: skip
        traces.append(
            go.Scatter(
                x=trained["layer"], y=trained["value"], mode="markers",
                marker={
                    "symbol": "diamond", "size": 12, "line": {"width": 1, "color": palette.BLACK},
                    "color": [HOLDS if holds[layer] else FAILS for layer in trained["layer"]],
                },
                name="trained (dark: the test holds)", **common,
            )
        )  # fmt: skip
        suffix = str(index + 1) if index else ""
        layout[f"yaxis{suffix}"]["title"] = {"text": STAGE_AXES[stage]}
        layout[f"yaxis{suffix}"]["rangemode"] = "tozero"
        layout[f"xaxis{suffix}"]["tickangle"] = -45
    layout |= {"height": 360, "margin": {"t": 40, "b": 80, "l": 60, "r": 10}}
    layout["legend"] = {"orientation": "h", "y": -0.45}
    return go.Figure(traces, layout)
