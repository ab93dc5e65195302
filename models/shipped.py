"""The shipped models: how each is trained (its recipe), and where its files live."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Recipe:
    """Everything needed to retrain one shipped model reproducibly."""

    builder: str  # a function name in models.builders
    builder_args: dict = field(default_factory=dict)
    dataset: str = "mnist"
    epochs: int = 16
    batch_size: int = 128
    learning_rate: float = 1e-2  # peak of a cosine decay over all steps
    seed: int = 0
    description: str = ""


RECIPES: dict[str, Recipe] = {
    "mnist_mlp_sigmoid": Recipe(
        "build_mlp",
        {"hidden_units": (16, 16), "activation": "sigmoid", "l2": 1e-5},
        epochs=40,
        description="784-16-16-10 MLP with sigmoid hidden layers, as in the classic lesson.",
    ),
    "mnist_mlp_relu": Recipe(
        "build_mlp",
        {"hidden_units": (16, 16), "activation": "relu", "l2": 3e-4},
        epochs=30,
        description="784-16-16-10 MLP with ReLU hidden layers.",
    ),
    "mnist_cnn_small": Recipe(
        "build_small_cnn",
        {"filters": (16, 32)},
        epochs=4,
        learning_rate=3e-3,
        description="Small CNN (two conv stages) on the same digits, for contrast.",
    ),
}


def model_path(name: str) -> Path:
    """Return the `.keras` file of shipped model `name`."""
    return MODEL_DIR / f"{name}.keras"


def card_path(name: str) -> Path:
    """Return the JSON card beside shipped model `name`."""
    return MODEL_DIR / f"{name}.json"


def load_card(name: str) -> dict:
    """Return the card (architecture, data, epochs, test accuracy, seconds) of model `name`."""
    if name not in RECIPES:
        raise ValueError(f"unknown shipped model {name!r}; choose from {sorted(RECIPES)}")
    return json.loads(card_path(name).read_text())


def recipe_dict(name: str) -> dict:
    """Return the recipe of `name` as plain JSON-ready data."""
    recipe = asdict(RECIPES[name])
    recipe["builder_args"] = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in recipe["builder_args"].items()
    }
    return recipe
