"""A fully connected network drawn as a static SVG: nodes, every edge, sizes under each layer.

The home page draws its two diagrams this way instead of as Plotly charts, so the first page
a visitor opens completes without loading Plotly's 4 MB of JavaScript. Layers wider than
`MAX_DRAWN_NODES` keep their first and last nodes with "⋮" between, as in
`figures.network_diagram`. Words use `currentColor`, so they follow the light or dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from dashboard.core import palette

MAX_DRAWN_NODES = 12  # larger layers are drawn as 12 nodes with "⋮" in between
WIDTH = 640
NODE_RADIUS = 7
ROW = 20  # pixels between two drawn nodes of a layer
TOP, BOTTOM, SIDE = 12, 52, 60  # margins: labels go in the bottom one


def network_svg(layer_sizes: Sequence[int], layer_names: Sequence[str] | None = None) -> str:
    """Return an accessible SVG of a network, input → hidden → output, one column per layer."""
    names = list(layer_names or default_layer_names(len(layer_sizes)))
    positions = [node_positions(size) for size in layer_sizes]
    lowest = min(min(ys) for ys in positions)
    span = max(max(max(ys) for ys in positions) - lowest, 1)
    height = TOP + BOTTOM + ROW * span
    middle = TOP - lowest * ROW  # where y = 0 is drawn
    step = (WIDTH - 2 * SIDE) / max(len(layer_sizes) - 1, 1)
    columns = [
        [(SIDE + index * step, middle + y * ROW) for y in ys] for index, ys in enumerate(positions)
    ]
    description = ", ".join(f"{name} {size}" for name, size in zip(names, layer_sizes))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH}px" role="img">',
        f"<title>Network diagram, neurons per layer: {escape(description)}</title>",
        _edges(columns),
        *(_layer(index, nodes) for index, nodes in enumerate(columns)),
        *_labels(columns, names, layer_sizes, middle, height),
    ]
    return "".join(parts) + "</svg>"


def default_layer_names(count: int) -> list[str]:
    """Return "input", "hidden 1", …, "output" for a network of `count` layers."""
    return ["input", *[f"hidden {i}" for i in range(1, count - 1)], "output"]


def node_positions(size: int) -> list[float]:
    """Return y positions centred on 0; big layers keep their ends and skip the middle."""
    if size <= MAX_DRAWN_NODES:
        return [i - (size - 1) / 2 for i in range(size)]
    half = MAX_DRAWN_NODES // 2
    return [i - MAX_DRAWN_NODES / 2 - 0.5 for i in range(half)] + [i + 1.5 for i in range(half)]


def _edges(columns: list[list[tuple[float, float]]]) -> str:
    """Return one path joining every drawn node to every drawn node of the next layer."""
    moves = [
        f"M{x0:.0f} {y0:.1f}L{x1:.0f} {y1:.1f}"
        for left, right in zip(columns[:-1], columns[1:])
        for x0, y0 in left
        for x1, y1 in right
    ]
    return (
        f'<path d="{"".join(moves)}" stroke="{palette.GREY}" stroke-width="0.6" '
        'stroke-opacity="0.6" fill="none"/>'
    )


def _layer(index: int, nodes: list[tuple[float, float]]) -> str:
    colour = palette.SERIES[index % len(palette.SERIES)]
    return "".join(
        f'<circle cx="{x:.0f}" cy="{y:.1f}" r="{NODE_RADIUS}" fill="{colour}" '
        f'stroke="{palette.DARK_GREY}" stroke-width="1"/>'
        for x, y in nodes
    )


def _labels(columns, names, sizes, middle: float, height: float) -> list[str]:
    """Return each layer's name and size under it, and "⋮" where nodes are skipped."""
    labels = []
    for nodes, name, size in zip(columns, names, sizes):
        x = nodes[0][0]
        labels.append(
            f'<text x="{x:.0f}" y="{height - 24}" text-anchor="middle" font-size="16" '
            f'fill="currentColor">{escape(name)}</text>'
            f'<text x="{x:.0f}" y="{height - 5}" text-anchor="middle" font-size="15" '
            f'fill="currentColor">{size:,} neurons</text>'
        )
        if size > MAX_DRAWN_NODES:
            labels.append(
                f'<text x="{x:.0f}" y="{middle + 7:.1f}" text-anchor="middle" font-size="20" '
                f'fill="currentColor">⋮</text>'
            )
    return labels
