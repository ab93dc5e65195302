"""Every object a model config names, checked against an allow-list before Keras reads it.

The walk visits every dict and list in the config, however nested (layers, wrapped layers,
the arguments of inbound nodes, initializers, optimizers), without recursion, and matches
modules exactly: `keras_evil` is not `keras`.
"""

from __future__ import annotations

from collections.abc import Iterator

MAX_DEPTH = 64
MAX_OBJECTS = 200_000  # a 1 MB config holds fewer; walking them takes about 0.1 s
LAYER_MODULE = "keras.layers"
MODEL_CLASSES = {
    "keras.src.models.functional": {"Functional"},
    "keras.src.models.sequential": {"Sequential"},
    "keras.src.models.model": {"Model"},
    "keras.models": {"Functional", "Sequential", "Model"},
    "keras": {"DTypePolicy", "FloatDTypePolicy", "Functional", "Sequential", "Model"},
}
SETTING_MODULES = frozenset(
    {
        "keras.initializers", "keras.regularizers", "keras.constraints", "keras.optimizers",
        "keras.optimizers.schedules", "keras.losses", "keras.metrics", "keras.activations",
    }
)  # fmt: skip
INTERNAL_CLASSES = frozenset({"__keras_tensor__", "__tuple__", "__numpy__", "__bytes__"})


class ConfigRefused(ValueError):
    """A config naming something outside the allow-list, or malformed; the message says why."""


def named_objects(config: object) -> Iterator[tuple[dict, int]]:
    """Yield (dict, depth) for every dict with a class_name anywhere in `config`."""
    stack, seen = [(config, 0)], 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH or seen > MAX_OBJECTS:
            raise ConfigRefused("the model's config is nested too deeply or is too large")
        if isinstance(item, dict):
            if "class_name" in item:
                yield item, depth
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)


def check_object(item: dict, allowed_layers: frozenset[str]) -> None:
    """Raise ConfigRefused unless `item` names a built-in Keras object this app accepts."""
    class_name, module = item.get("class_name"), item.get("module")
    registered = item.get("registered_name")
    if not isinstance(class_name, str) or not (module is None or isinstance(module, str)):
        raise ConfigRefused("the model's config is malformed (a class name is not text)")
    if class_name == "Lambda":
        raise ConfigRefused("the model has a Lambda layer, which runs arbitrary Python code")
    if registered not in (None, class_name) and not (
        module == "keras.activations" and class_name == "function"
    ):
        raise ConfigRefused(f"the model uses a custom object {registered!r}; it is refused")
    if _allowed(class_name, module, allowed_layers):
        return
    raise ConfigRefused(
        f"the model uses {class_name!r} from {module!r}, which is not one of Keras' built-in "
        "layers and settings this app accepts"
    )


def _allowed(class_name: str, module: str | None, allowed_layers: frozenset[str]) -> bool:
    if class_name in INTERNAL_CLASSES:
        return module is None
    if module == LAYER_MODULE or (module is None and class_name in allowed_layers):
        return class_name in allowed_layers or class_name in MODEL_CLASSES["keras.models"]
    if module in MODEL_CLASSES:
        return class_name in MODEL_CLASSES[module]
    return module in SETTING_MODULES and class_name.isidentifier()


def check_config(config: object, allowed_layers: frozenset[str]) -> None:
    """Raise ConfigRefused if anything in `config` is outside the allow-list or malformed."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ConfigRefused("the file's config.json does not describe a model")
    for item, _ in named_objects(config):
        check_object(item, allowed_layers)
