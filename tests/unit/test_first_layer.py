import numpy as np

from dashboard.core.untrained import untrained_copy
from dashboard.lessons.layer_hierarchy.first_layer import (
    FirstLayerEvidence,
    edge_sentence,
    filters_sentence,
    first_layer_claims,
    first_layer_evidence,
)
from models.builders import build_cifar_cnn


def evidence(smoothness=0.45, untrained=(0.0, 0.02, -0.01), edges=20, untrained_edges=(8, 9, 10)):
    return FirstLayerEvidence(5, smoothness, untrained, edges, untrained_edges, 32)


def test_untrained_copies_differ_by_seed_and_keep_the_shapes():
    model = build_cifar_cnn(stages=(4, 8), first_kernel=5, first_init_scale=0.02)
    first, second = untrained_copy(model, 1), untrained_copy(model, 2)
    kernels = [m.get_layer("conv_1_1").get_weights()[0] for m in (model, first, second)]
    assert kernels[0].shape == kernels[1].shape == (5, 5, 3, 4)
    assert not np.allclose(kernels[1], kernels[2])


def test_evidence_measures_the_model_and_its_untrained_copies():
    model = build_cifar_cnn(stages=(4, 8), first_kernel=5)
    measured = first_layer_evidence(model, "relu_1_1", seeds=(0, 1))
    assert measured.kernel_size == 5 and measured.channels == 4
    assert len(measured.untrained_smoothness) == len(measured.untrained_edges) == 2
    assert 0 <= measured.edges <= 4 and all(0 <= count <= 4 for count in measured.untrained_edges)


def test_sentences_follow_the_control():
    learned = filters_sentence(evidence())
    assert "**0.45**, against **-0.01 to 0.02** in untrained copies (3 seeds)" in learned
    assert "that training put there" in learned
    assert "like colour noise" in filters_sentence(evidence(smoothness=0.05))
    assert "faint" in filters_sentence(evidence(smoothness=0.2))
    assert "**8–10 of 32**" in edge_sentence(evidence()) and "training made edge" in edge_sentence(
        evidence()
    )
    assert "does not show" in edge_sentence(evidence(edges=12))


def test_claims_hold_only_when_the_numbers_do():
    assert [claim.holds for claim in first_layer_claims(evidence(), "cnn")] == [True, False]
    weak = first_layer_claims(evidence(smoothness=0.05, edges=12), "cnn")
    assert [claim.holds for claim in weak] == [False, True]
