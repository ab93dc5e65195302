"""Page 7's read-backs under its pictures and patches, written from the shipped measurements."""

from __future__ import annotations

import numpy as np

from dashboard.lessons.layer_hierarchy.claims import BORDER_BIAS, picture_edges_separate
from dashboard.lessons.layer_hierarchy.feature_vis import FLAT, flat_pictures


def picture_note(pictures: np.ndarray, field: int, edges: np.ndarray | None = None) -> str:
    """Say which pictures failed (near-flat); for the first layer (`edges`: its pictures'
    edge likeness, then untrained copies'), whether they show more than the method does."""
    flat, shown = int(flat_pictures(pictures).sum()), len(pictures)
    note = (
        f"{flat} of these {shown} pictures came out near-flat (pixels vary by less than "
        f"{FLAT:g} of 255): for them the ascent found no pattern. "
        if flat
        else f"All {shown} pictures found a pattern (none is near-flat). "
    )
    if edges is None:
        return note
    untrained = f"{edges[1:].min():.2f}–{edges[1:].max():.2f}"
    if picture_edges_separate(edges):
        return note + (
            f"They match a light–dark edge at median cosine {edges[0]:.2f}, beyond untrained "
            f"copies' pictures ({untrained})."
        )
    return note + (
        f"They look like edges, but an untrained copy's pictures look as much like edges "
        f"(median cosine with a light–dark edge {edges[0]:.2f}; untrained copies "
        f"{untrained}): at {field}×{field} pixels the pictures show the method's taste for "
        "smooth images, not what training put there. The filters themselves are the "
        "evidence (previous page)."
    )


def padding_note(layer: str, field: int, image_size: int, padding: np.ndarray) -> str:
    """Say how the top patches avoid the zero padding, with the border bias measured."""
    if field > image_size:
        return (
            f"A {layer} unit sees more than the whole {image_size}-pixel image, so each patch "
            "is the whole image, its padding drawn grey."
        )
    top_share, unit_share = padding
    return (
        f"Only units whose field lies inside the image are ranked. Ranked over every unit, "
        f"{top_share:.0%} of this layer's top patches crossed the zero padding at a border, "
        f"where {unit_share:.0%} of its units do"
        + (
            ": a dark image's edge against the padding looks like an edge to it."
            if top_share > BORDER_BIAS * unit_share
            else "."
        )
    )
