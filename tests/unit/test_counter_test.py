import numpy as np

from dashboard.lessons.other_architectures.counter_test import (
    CounterEvidence,
    counter_claims,
    counter_sentence,
    expected_count_exact_rate,
    follows_sentence,
    partial_count_correlations,
    varied_density_data,
)


def test_varied_density_pulls_count_and_time_apart():
    bits, counts = varied_density_data(400, 20, seed=0)
    time = np.tile(np.arange(1, 21), 400)
    varied = np.corrcoef(counts.reshape(-1), time)[0, 1]
    random_bits = np.cumsum(np.random.default_rng(0).integers(0, 2, (400, 20)), axis=1)
    assert varied < np.corrcoef(random_bits.reshape(-1), time)[0, 1] - 0.1
    assert bits.shape == (400, 20, 1) and np.array_equal(counts, np.cumsum(bits[..., 0], axis=1))


def test_partial_correlation_tells_a_counter_from_a_clock():
    _, counts = varied_density_data(300, 20, seed=1)
    time = np.broadcast_to(np.arange(1.0, 21), counts.shape)
    states = np.stack([counts, time, counts - 0.5 * time], axis=-1)  # counter, clock, mixture
    partial = partial_count_correlations(states, counts)
    assert partial[0] > 0.99 and partial[2] > 0.99
    assert np.isnan(partial[1]) or abs(partial[1]) < 0.05  # time alone has nothing left


def test_the_sentence_and_claims_follow_the_control():
    same = CounterEvidence(0.91, (0.88, 0.90, 0.97), 0.66)
    clearer = CounterEvidence(0.99, (0.7, 0.8, 0.85), 0.66)
    assert "no sign of learning" in counter_sentence(same)
    assert "clearer counter than a random LSTM" in counter_sentence(clearer)
    assert "**0.88–0.97** (3 seeds)" in counter_sentence(same)
    assert [claim.holds for claim in counter_claims(same, 0.99, 20)] == [True, True, True]
    assert [claim.holds for claim in counter_claims(clearer, 0.5, 20)] == [False, True, False]


def test_a_flat_sequence_has_no_unit_to_follow_it():
    flat = follows_sentence(np.array([np.nan, np.nan]), CounterEvidence(0.9, (0.9,), 0.6))
    assert "never changes" in flat
    assert 0.1 < expected_count_exact_rate(20) < 0.4
