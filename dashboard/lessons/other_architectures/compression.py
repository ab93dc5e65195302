"""Make hidden layers smaller: prune or quantize Dense weights, and measure accuracy against size.

Every function works on copies: the model passed in (often a shipped model shared by all
users) is never modified. Pruned weights are set to zero rather than removed, so a pruned
copy keeps its architecture and runs unchanged; sizes are estimates of what would be stored.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
import numpy as np
import pandas as pd

from dashboard.core.activations import predict_probabilities

# Bytes for the column index stored beside each nonzero weight in the sparse size estimate.
SPARSE_INDEX_BYTES = 4

# Weights of each Dense layer by name: [kernel] or [kernel, bias], as numpy arrays.
DenseWeights = dict[str, list[np.ndarray]]


def dense_layers(model: keras.Model) -> list[str]:
    """Return the names of the model's Dense layers, input side first."""
    return [layer.name for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def prune_weights(model: keras.Model, fraction: float) -> keras.Model:
    """Return a copy with `fraction` of all Dense kernel weights, the smallest in magnitude, zeroed.

    One global magnitude threshold covers the kernels of every Dense layer; biases are kept.
    """
    return _copy_with_weights(model, _magnitude_pruned(_dense_weights(model), fraction))


def prune_units(model: keras.Model, fraction: float) -> keras.Model:
    """Return a copy with `fraction` of each hidden Dense layer's units removed.

    Hidden layers are all Dense layers but the last. Units are ranked per layer by the L2 norm
    of their outgoing weights (the next Dense layer's kernel row); in each layer the
    round(fraction * units) weakest lose their incoming kernel column, bias and outgoing
    kernel row (all set to zero), so the architecture keeps its shape. `effective_units`
    counts what is left.
    """
    return _copy_with_weights(model, _unit_pruned(_dense_weights(model), fraction))


def quantize_weights(model: keras.Model, bits: int = 8) -> keras.Model:
    """Return a copy whose Dense kernels and biases are rounded to signed `bits`-bit integers.

    Symmetric, per tensor: scale = max|w| / (2^(bits-1) - 1); the integers are multiplied back
    by the scale (dequantized), so the copy runs as an ordinary float model.
    """
    return _copy_with_weights(model, _quantized(_dense_weights(model), bits))


def quantization_error(model: keras.Model, bits: int = 8) -> float:
    """Return the largest absolute change of any Dense weight made by `bits`-bit quantization."""
    original = _dense_weights(model)
    quantized = _quantized(original, bits)
    return max(
        float(np.max(np.abs(new.astype(np.float64) - old), initial=0.0))
        for name in original
        for old, new in zip(original[name], quantized[name])
    )


def model_size_bytes(model: keras.Model, bits: int = 32, sparse: bool = False) -> int:
    """Return the bytes needed to store the Dense kernels and biases at `bits` per weight.

    With `sparse`, a simple CSR-like estimate: only nonzero kernel weights are stored, each
    with a 4-byte column index (row pointers are ignored); biases are always stored densely.
    """
    _check_bits(bits, low=1)
    stored_bits = 0
    for weights in _dense_weights(model).values():
        kernel, biases = weights[0], weights[1:]
        kept = int(np.count_nonzero(kernel)) if sparse else kernel.size
        stored_bits += kept * (bits + 8 * SPARSE_INDEX_BYTES if sparse else bits)
        stored_bits += sum(bias.size for bias in biases) * bits
    return _bits_to_bytes(stored_bits)


def effective_units(model: keras.Model) -> dict[str, int]:
    """Return, per hidden Dense layer, how many units still feed the next layer.

    A unit counts while its outgoing kernel row has a nonzero weight.
    """
    return _effective_units(_dense_weights(model))


def compact_size_bytes(model: keras.Model, bits: int = 32) -> int:
    """Return the dense storage of the Dense weights if removed hidden units were dropped."""
    _check_bits(bits, low=1)
    weights = _dense_weights(model)
    units = _effective_units(weights)
    stored_bits = 0
    inputs = None
    for name, (kernel, *biases) in weights.items():
        inputs = kernel.shape[0] if inputs is None else inputs
        outputs = units.get(name, kernel.shape[1])
        stored_bits += (inputs * outputs + outputs * len(biases)) * bits
        inputs = outputs
    return _bits_to_bytes(stored_bits)


def nonzero_weights(model: keras.Model) -> int:
    """Return how many Dense kernel weights are not zero."""
    return sum(int(np.count_nonzero(weights[0])) for weights in _dense_weights(model).values())


def accuracy(model: keras.Model, x: np.ndarray, y: np.ndarray) -> float:
    """Return the fraction of samples whose highest-scoring class is the label.

    A plain MLP runs through the forward pass traced once per network shape, which every
    pruned or quantized copy shares; `predict` would trace one per copy (~50 MB once).
    """
    predicted = np.argmax(predict_probabilities(model, x), axis=-1)
    return float(np.mean(predicted == np.asarray(y).reshape(-1)))


def pruning_curve(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    fractions: Sequence[float],
    kind: str = "weights",
) -> pd.DataFrame:
    """Return accuracy and size after pruning each fraction of weights or of hidden units.

    Columns: fraction, accuracy, nonzero_weights (Dense kernel weights), hidden_units (those
    left), size_bytes: the sparse 32-bit size for "weights", and for "units" the dense 32-bit
    size of a network holding only the remaining units.
    """
    prune = {"weights": _magnitude_pruned, "units": _unit_pruned}.get(kind)
    if prune is None:
        raise ValueError(f"kind must be 'weights' or 'units', got {kind!r}")
    for fraction in fractions:
        _check_fraction(fraction)
    original = _dense_weights(model)
    work = _copy_with_weights(model, original)
    rows = []
    for fraction in fractions:
        _set_dense_weights(work, prune(original, fraction))
        size = model_size_bytes(work, sparse=True) if kind == "weights" else None
        rows.append(
            {
                "fraction": float(fraction),
                "accuracy": accuracy(work, x, y),
                "nonzero_weights": nonzero_weights(work),
                "hidden_units": sum(effective_units(work).values()),
                "size_bytes": compact_size_bytes(work) if size is None else size,
            }
        )
    return pd.DataFrame(rows)


def quantization_table(
    model: keras.Model,
    x: np.ndarray,
    y: np.ndarray,
    bits: Sequence[int] = (32, 16, 8, 4, 2),
) -> pd.DataFrame:
    """Return accuracy and dense size at each bit width; 32 bits is the float model itself."""
    for width in bits:
        _check_bits(width)
    original = _dense_weights(model)
    work = _copy_with_weights(model, original)
    rows = []
    for width in bits:
        _set_dense_weights(work, original if width == 32 else _quantized(original, width))
        rows.append(
            {
                "bits": int(width),
                "accuracy": accuracy(work, x, y),
                "size_bytes": model_size_bytes(work, bits=width),
            }
        )
    return pd.DataFrame(rows)


def breaking_point(curve: pd.DataFrame, tolerance: float = 0.01) -> float | None:
    """Return the smallest fraction whose accuracy is more than `tolerance` below fraction 0's.

    None when accuracy never drops that far. The curve needs a row at fraction 0.
    """
    baseline = curve.loc[curve["fraction"] == 0, "accuracy"]
    if baseline.empty:
        raise ValueError("the curve needs a row at fraction 0 to compare against")
    broken = curve[curve["accuracy"] < baseline.iloc[0] - tolerance]
    return None if broken.empty else float(broken["fraction"].min())


def _dense_weights(model: keras.Model) -> DenseWeights:
    """Return copies of every Dense layer's weights, by layer name, input side first."""
    return {
        name: [np.array(w, copy=True) for w in model.get_layer(name).get_weights()]
        for name in dense_layers(model)
    }


def _copy_with_weights(model: keras.Model, weights: DenseWeights) -> keras.Model:
    """Return a clone of `model` with its weights, then the given Dense weights, set."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    _set_dense_weights(copy, weights)
    return copy


def _set_dense_weights(model: keras.Model, weights: DenseWeights) -> None:
    for name, layer_weights in weights.items():
        model.get_layer(name).set_weights(layer_weights)


def _magnitude_pruned(weights: DenseWeights, fraction: float) -> DenseWeights:
    """Zero the round(fraction * total) smallest-magnitude kernel weights over all layers."""
    _check_fraction(fraction)
    kernels = [layer_weights[0] for layer_weights in weights.values()]
    magnitudes = np.concatenate([np.abs(kernel).ravel() for kernel in kernels])
    keep = np.ones(magnitudes.size, dtype=bool)
    keep[np.argsort(magnitudes, kind="stable")[: round(fraction * magnitudes.size)]] = False
    pruned = {}
    start = 0
    for name, (kernel, *biases) in weights.items():
        mask = keep[start : start + kernel.size].reshape(kernel.shape)
        pruned[name] = [np.where(mask, kernel, 0).astype(kernel.dtype), *biases]
        start += kernel.size
    return pruned


def _unit_pruned(weights: DenseWeights, fraction: float) -> DenseWeights:
    """Zero, per hidden layer, the weakest units' incoming column, bias and outgoing row."""
    _check_fraction(fraction)
    pruned = {name: [w.copy() for w in layer_weights] for name, layer_weights in weights.items()}
    names = list(pruned)
    for name, next_name in zip(names, names[1:]):
        kernel, *biases = pruned[name]
        outgoing = pruned[next_name][0]
        _check_feeds_next(name, kernel, next_name, outgoing)
        weakest = np.argsort(np.linalg.norm(outgoing, axis=1), kind="stable")
        removed = weakest[: round(fraction * kernel.shape[1])]
        kernel[:, removed] = 0
        for bias in biases:
            bias[removed] = 0
        outgoing[removed, :] = 0
    return pruned


def _effective_units(weights: DenseWeights) -> dict[str, int]:
    names = list(weights)
    return {
        name: int(np.count_nonzero(np.any(weights[next_name][0] != 0, axis=1)))
        for name, next_name in zip(names, names[1:])
    }


def _quantized(weights: DenseWeights, bits: int) -> DenseWeights:
    _check_bits(bits)
    return {
        name: [_quantize_tensor(w, bits) for w in layer_weights]
        for name, layer_weights in weights.items()
    }


def _quantize_tensor(tensor: np.ndarray, bits: int) -> np.ndarray:
    """Round to signed `bits`-bit integers with one symmetric scale, then scale back."""
    levels = 2 ** (bits - 1) - 1
    largest = float(np.max(np.abs(tensor), initial=0.0))
    if largest == 0:
        return tensor.copy()
    scale = largest / levels
    integers = np.clip(np.round(tensor.astype(np.float64) / scale), -levels, levels)
    return (integers * scale).astype(tensor.dtype)


def _check_feeds_next(name: str, kernel: np.ndarray, next_name: str, outgoing: np.ndarray) -> None:
    if outgoing.shape[0] != kernel.shape[1]:
        raise ValueError(
            f"Dense layer {name!r} ({kernel.shape[1]} units) does not feed {next_name!r} "
            f"({outgoing.shape[0]} inputs) directly, so its units cannot be pruned"
        )


def _check_fraction(fraction: float) -> None:
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be between 0 and 1, got {fraction}")


def _check_bits(bits: int, low: int = 2) -> None:
    if int(bits) != bits or not low <= bits <= 32:
        raise ValueError(f"bits must be an integer from {low} to 32, got {bits}")


def _bits_to_bytes(bits: int) -> int:
    return -(-bits // 8)
