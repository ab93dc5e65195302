"""The size an uploaded model declares, worked out from its config before anything is built.

Keras allocates every weight while it builds a model, so a 2 KB file declaring Dense(16384)
on a 16384-wide input costs gigabytes before any check could run. Here each layer is created
from its config without weights, its output shape computed from its input's, and its
parameters and work counted by formula; a model over the limits is refused unbuilt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import keras

MAX_PARAMETERS = 5_000_000
MAX_LAYERS = 200
MAX_ACTIVATION_VALUES = 1_000_000  # per layer output, for one input
MAX_INPUT_VALUES = 512 * 512 * 3
MAX_FLOPS = 2e9  # forward, for one input
MODELS = ("Functional", "Sequential", "Model")


class TooLarge(ValueError):
    """A model whose declared size is over the limits, or cannot be worked out."""


@dataclass(frozen=True)
class DeclaredSize:
    """What a config declares: parameters, layers, the largest output and forward FLOPs."""

    parameters: int
    layers: int
    largest_activation: int
    flops: float


def _values(shape) -> int:
    return math.prod(int(size) for size in shape[1:] if size is not None)


def _last(shape) -> int:
    return int(shape[-1]) if shape[-1] is not None else 1


def _weights_and_flops(layer: keras.layers.Layer, shape, output) -> tuple[int, float]:
    """Return (parameters, forward multiply-adds) of one layer by formula."""
    kind = type(layer).__name__
    channels = _last(shape) if shape else 1
    if kind == "Dense":
        return (channels + 1) * layer.units, _values(shape) * layer.units
    if kind in ("Conv1D", "Conv2D", "Conv2DTranspose"):
        kernel = math.prod(layer.kernel_size) * channels // max(layer.groups, 1)
        return (kernel + 1) * layer.filters, _values(output) * kernel
    if kind in ("DepthwiseConv2D", "SeparableConv2D"):
        depth = math.prod(layer.kernel_size) * channels * layer.depth_multiplier
        point = channels * layer.depth_multiplier * getattr(layer, "filters", 0)
        return depth + point + _last(output), _values(shape) * (depth + point) / channels
    if kind in ("BatchNormalization", "LayerNormalization"):
        return 4 * channels, 2 * _values(shape)
    if kind in ("SimpleRNN", "GRU", "LSTM"):
        gates = {"SimpleRNN": 1, "GRU": 3, "LSTM": 4}[kind]
        weights = gates * (layer.units * (channels + layer.units) + 2 * layer.units)
        return weights, weights * (shape[1] or 1)
    if kind == "Embedding":
        return layer.input_dim * layer.output_dim, _values(output)
    if kind == "PReLU":
        return _values(shape), _values(shape)
    return 0, _values(output)


def _built_layer(config: dict) -> keras.layers.Layer:
    """Return the layer a (checked) config describes, created but not built: no weights."""
    try:
        return keras.saving.deserialize_keras_object(config, safe_mode=True)
    except Exception as error:  # noqa: BLE001 (a config Keras cannot read is the upload's fault)
        raise TooLarge(f"layer {_name(config)!r} cannot be read: {error}") from error


def _name(config: dict) -> str:
    inner = config.get("config")
    return str(inner.get("name", "?")) if isinstance(inner, dict) else "?"


def _output_shape(layer: keras.layers.Layer, inputs: list):
    try:
        return layer.compute_output_shape(inputs[0] if len(inputs) == 1 else inputs)
    except Exception as error:  # noqa: BLE001
        raise TooLarge(f"the output shape of layer {layer.name!r} cannot be worked out") from error


def _input_shape(config: dict) -> tuple:
    shape = config.get("config", {}).get("batch_shape") or config.get("config", {}).get(
        "batch_input_shape"
    )
    if not isinstance(shape, list) or not all(s is None or isinstance(s, int) for s in shape):
        raise TooLarge("the model's input declares no usable shape")
    if any(s is not None and s < 1 for s in shape) or _values(shape) > MAX_INPUT_VALUES:
        raise TooLarge(
            f"the input shape {tuple(shape[1:])} is over the limit of "
            f"{MAX_INPUT_VALUES:,} values (512×512×3)"
        )
    return tuple(shape)


def _tensor_sources(arguments) -> list[tuple[str, int]]:
    """Return (layer name, tensor index) of every Keras tensor in a node's arguments."""
    found, stack = [], [arguments]
    while stack:
        item = stack.pop()
        if isinstance(item, dict) and item.get("class_name") == "__keras_tensor__":
            history = item.get("config", {}).get("keras_history", [])
            if len(history) != 3:
                raise TooLarge("a connection between layers is malformed")
            found.append((str(history[0]), int(history[2])))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found[::-1]


def _outputs_as_list(shape) -> list:
    if isinstance(shape, list | tuple) and shape and isinstance(shape[0], list | tuple):
        return list(shape)
    return [shape]


class _Tally:
    """Running totals, refused the moment one is over its limit."""

    def __init__(self) -> None:
        self.parameters, self.flops, self.largest, self.layers = 0, 0.0, 0, 0

    def add(self, layer: keras.layers.Layer, inputs: list, output) -> None:
        parameters, flops = _weights_and_flops(layer, inputs[0], output)
        self.parameters += parameters
        self.flops += 2 * flops
        self.largest = max([self.largest, *(_values(s) for s in _outputs_as_list(output))])
        if self.parameters > MAX_PARAMETERS:
            raise TooLarge(
                f"the model declares over {MAX_PARAMETERS:,} parameters (at layer "
                f"{layer.name!r}: {self.parameters:,})"
            )
        if self.largest > MAX_ACTIVATION_VALUES:
            raise TooLarge(
                f"layer {layer.name!r} outputs {self.largest:,} values per input; the limit "
                f"is {MAX_ACTIVATION_VALUES:,}"
            )
        if self.flops > MAX_FLOPS:
            raise TooLarge(
                f"one input takes over {MAX_FLOPS / 1e9:.0f} GFLOP to pass through the model "
                f"(at layer {layer.name!r})"
            )

    def result(self) -> DeclaredSize:
        return DeclaredSize(self.parameters, self.layers, self.largest, self.flops)


def _sequential(layer_configs: list, model_config: dict, tally: _Tally) -> list:
    """Tally a Sequential model's layers; return its output shapes."""
    first = layer_configs[0] if layer_configs else {}
    if first.get("class_name") == "InputLayer":
        shape, layer_configs = _input_shape(first), layer_configs[1:]
    else:
        shape = _input_shape({"config": {"batch_shape": model_config.get("build_input_shape")}})
    outputs = [shape]
    for config in layer_configs:
        outputs = _layer_outputs(config, [outputs[0]], tally)
    return outputs


def _layer_outputs(config: dict, inputs: list, tally: _Tally) -> list:
    """Tally one layer (a nested model counts all its layers); return its output shapes."""
    tally.layers += 1
    if tally.layers > MAX_LAYERS:
        raise TooLarge(f"the model has over {MAX_LAYERS} layers, nested ones included")
    if config.get("class_name") in MODELS:
        return _model_outputs(config, tally)
    layer = _built_layer(config)
    output = _output_shape(layer, inputs)
    tally.add(layer, inputs, output)
    return _outputs_as_list(output)


def _functional(layer_configs: list, model_config: dict, tally: _Tally) -> list:
    """Tally a Functional model's layers along their connections; return its output shapes."""
    outputs: dict[str, list] = {}
    for config in layer_configs:
        name = _name(config)
        if config.get("class_name") == "InputLayer":
            outputs[name] = [_input_shape(config)]
            continue
        for node in config.get("inbound_nodes") or []:
            sources = _tensor_sources(node)
            if not sources or any(source not in outputs for source, _ in sources):
                raise TooLarge(f"layer {name!r} reads a layer that comes later or not at all")
            inputs = [_pick(outputs[source], index, name) for source, index in sources]
            outputs[name] = _layer_outputs(config, inputs, tally)
    ends = _tensor_sources_of(model_config.get("output_layers"))
    return [_pick(outputs.get(source, []), index, source) for source, index in ends]


def _tensor_sources_of(output_layers) -> list[tuple[str, int]]:
    """Return (layer name, tensor index) of a functional config's output_layers."""
    if (
        isinstance(output_layers, list)
        and len(output_layers) == 3
        and isinstance(output_layers[0], str)
    ):
        output_layers = [output_layers]
    if not isinstance(output_layers, list) or not output_layers:
        raise TooLarge("the model declares no outputs")
    try:
        return [(str(name), int(index)) for name, _, index in output_layers]
    except (TypeError, ValueError) as error:
        raise TooLarge("the model's outputs are malformed") from error


def _pick(shapes: list, index: int, name: str):
    if not 0 <= index < len(shapes):
        raise TooLarge(f"layer {name!r} reads an output that does not exist")
    return shapes[index]


def _model_outputs(config: dict, tally: _Tally) -> list:
    inner = config.get("config") if isinstance(config, dict) else None
    layer_configs = inner.get("layers") if isinstance(inner, dict) else None
    if not isinstance(layer_configs, list) or not all(isinstance(c, dict) for c in layer_configs):
        raise TooLarge("the model lists no layers")
    if len(layer_configs) > MAX_LAYERS:
        raise TooLarge(f"the model has {len(layer_configs):,} layers; the limit is {MAX_LAYERS}")
    if config.get("class_name") == "Sequential":
        return _sequential(layer_configs, inner, tally)
    return _functional(layer_configs, inner, tally)


def declared_size(config: dict) -> DeclaredSize:
    """Return the size a model config declares, or raise TooLarge saying what is over."""
    tally = _Tally()
    _model_outputs(config, tally)
    return tally.result()
