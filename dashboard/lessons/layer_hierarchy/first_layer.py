"""The first layer against its control: the same network before training, over several seeds.

A random filter already answers some edge angles more than others, so "X channels are
edge detectors" means little alone. Each measure here (filter smoothness, the edge test) is
taken on the trained model and on untrained copies of it, and the sentences say which side
of the untrained range the trained value falls.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras

from dashboard.core import conv_layers
from dashboard.core.claims import Claim
from dashboard.core.untrained import CONTROL_SEEDS, untrained_copy
from dashboard.lessons.layer_hierarchy import hierarchy_evidence

SMOOTH = 0.3  # neighbouring weights correlating this much: filters with visible structure
CLEAR_GAP = 0.1  # a smoothness gap beyond every untrained seed by this much is learned


@dataclass(frozen=True)
class FirstLayerEvidence:
    """Smoothness and edge counts of the first layer, trained and untrained (per seed)."""

    kernel_size: int
    smoothness: float
    untrained_smoothness: tuple[float, ...]
    edges: int
    untrained_edges: tuple[int, ...]
    channels: int

    @property
    def learned_smoothness(self) -> bool:
        return self.smoothness > max(self.untrained_smoothness) + CLEAR_GAP

    @property
    def more_edges(self) -> bool:
        """Whether training made clearly more channels pass the edge test than any random start."""
        return self.edges > max(self.untrained_edges) + 0.1 * self.channels


def first_layer_evidence(
    model: keras.Model, relu_name: str, seeds: tuple[int, ...] = CONTROL_SEEDS
) -> FirstLayerEvidence:
    """Measure the first layer of `model` and of untrained copies drawn with `seeds`."""
    copies = [untrained_copy(model, seed) for seed in seeds]
    filters = conv_layers.first_layer_filters(model)
    return FirstLayerEvidence(
        kernel_size=int(filters.shape[1]),
        smoothness=hierarchy_evidence.filter_smoothness(filters),
        untrained_smoothness=tuple(
            hierarchy_evidence.filter_smoothness(conv_layers.first_layer_filters(copy))
            for copy in copies
        ),
        edges=hierarchy_evidence.edge_test(model, relu_name).count("edge"),
        untrained_edges=tuple(
            hierarchy_evidence.edge_test(copy, relu_name).count("edge") for copy in copies
        ),
        channels=int(filters.shape[0]),
    )


def _range(values: tuple) -> str:
    low, high = min(values), max(values)
    return f"{low:.2f} to {high:.2f}" if isinstance(low, float) else f"{low}–{high}"


def filters_sentence(evidence: FirstLayerEvidence) -> str:
    """Return what the filters show, from their smoothness against untrained filters."""
    size = f"{evidence.kernel_size}×{evidence.kernel_size}×3"
    measured = (
        f"Neighbouring weights correlate at **{evidence.smoothness:.2f}**, against "
        f"**{_range(evidence.untrained_smoothness)}** in untrained copies "
        f"({len(evidence.untrained_smoothness)} seeds)."
    )
    if evidence.learned_smoothness and evidence.smoothness >= SMOOTH:
        look = "smooth patterns, light-dark and colour contrasts that training put there"
    elif evidence.learned_smoothness:
        look = "only slightly smoother than noise: their structure is faint"
    else:
        look = "no smoother than random filters: they look like colour noise"
    return (
        f"Each of the {evidence.channels} first-layer filters is a {size} pattern of colour "
        f"weights, drawn stretched to full contrast. {measured} So they are {look}."
    )


def edge_sentence(evidence: FirstLayerEvidence) -> str:
    """Return the edge test's read-back, trained against untrained copies."""
    verdict = (
        "clearly more than any untrained copy: training made edge detectors"
        if evidence.more_edges
        else "not clearly more than untrained copies, so this test alone does not show that "
        "training made them"
    )
    return (
        f"In untrained copies of the network, **{_range(evidence.untrained_edges)} of "
        f"{evidence.channels}** channels pass the same test (random filters have preferred "
        f"angles too); trained, **{evidence.edges}**: {verdict}."
    )


def first_layer_claims(evidence: FirstLayerEvidence, name: str) -> list[Claim]:
    """Return `name`'s first-layer claims: smooth filters, and the edge test's verdict.

    The pages say both ways what the edge test shows; the claim records what the shipped
    model shows today (not clearly more edge channels than untrained copies), so a retrained
    model that changes it fails the test and gets its sentence re-read.
    """
    lesson = "layer_hierarchy"
    return [
        Claim(
            lesson,
            f"{name}: first-layer filters are smooth (≥ {SMOOTH}), clearly beyond untrained",
            evidence.smoothness,
            max(evidence.untrained_smoothness),
            f"highest untrained, {len(evidence.untrained_smoothness)} seeds",
            evidence.learned_smoothness and evidence.smoothness >= SMOOTH,
        ),
        Claim(
            lesson,
            f"{name}: the edge test does not separate trained from untrained (said so)",
            evidence.edges,
            max(evidence.untrained_edges),
            f"most of {len(evidence.untrained_edges)} untrained copies",
            not evidence.more_edges,
        ),
    ]
