"""A hidden state carried across time: an LSTM that counts the ones in a bit sequence."""

from __future__ import annotations

import weakref

import keras
import numpy as np

from models.builders import build_counting_lstm

_extractors: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model → {layer: model}


def counting_data(samples: int, length: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Return random bit sequences (samples, length, 1) and the running count of ones."""
    bits = np.random.default_rng(seed).integers(0, 2, (samples, length, 1)).astype(np.float32)
    return bits, np.cumsum(bits, axis=1)


def hidden_states(model: keras.Model, sequences: np.ndarray, layer: str = "lstm") -> np.ndarray:
    """Return the recurrent layer's hidden state after every step: (samples, length, units)."""
    per_layer = _extractors.setdefault(model, {})
    if layer not in per_layer:  # built once per model, not on every rerun
        per_layer[layer] = keras.Model(model.input, model.get_layer(layer).output)
    return np.asarray(per_layer[layer](np.asarray(sequences, np.float32), training=False))


def count_correlations(states: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return, per hidden unit, its correlation with the running count over all steps."""
    flat_states = states.reshape(-1, states.shape[-1])
    flat_counts = counts.reshape(-1)
    return np.array(
        [np.corrcoef(flat_states[:, unit], flat_counts)[0, 1] for unit in range(states.shape[-1])]
    )


def exact_count_rate(model: keras.Model, sequences: np.ndarray, counts: np.ndarray) -> float:
    """Return the share of time steps at which the rounded output equals the true count."""
    predictions = np.asarray(model(np.asarray(sequences, np.float32), training=False))
    return float((np.round(predictions) == counts).mean())


def parse_bits(text: str, max_length: int = 60) -> np.ndarray:
    """Return a typed sequence like "0110 1" as bits (length, 1); spaces and commas are ignored."""
    cleaned = text.replace(" ", "").replace(",", "")
    if not cleaned:
        raise ValueError("type at least one bit, e.g. 0110100111")
    if set(cleaned) - {"0", "1"}:
        raise ValueError(f"only 0 and 1 are allowed, found {sorted(set(cleaned) - {'0', '1'})}")
    if len(cleaned) > max_length:
        raise ValueError(f"at most {max_length} bits, got {len(cleaned)}")
    return np.array([float(bit) for bit in cleaned], np.float32)[:, np.newaxis]


def build_live_lstm(units: int, learning_rate: float, seed: int = 0) -> keras.Model:
    """Return a fresh counting LSTM, seeded and compiled for live retraining."""
    keras.utils.set_random_seed(seed)
    model = build_counting_lstm(units, seed=seed)
    model.compile(keras.optimizers.Adam(learning_rate), "mse")
    return model


def lstm_forward_flops(units: int, length: int, inputs: int = 1) -> float:
    """Return one sequence's forward FLOPs: 4 gates × 2 × units × (inputs + units) per step."""
    return 8.0 * units * (inputs + units) * length + 2.0 * units * length
