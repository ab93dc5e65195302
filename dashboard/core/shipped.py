"""The door from the dashboard to `models/`: shipped models' recipes and cards, precomputed results.

Pages never import `models/`; they read what ships through this module or their lesson.
"""

from models.precomputed import (
    ACTIVATION_SEEDS,
    ACTIVATION_SETUP,
    CAPACITY_SEEDS,
    CAPACITY_SETUP,
    CAPACITY_SHAPES,
    LSTM_SETUP,
    load_arrays,
    load_experiment,
)
from models.shipped import (
    LIVE_CIFAR_RECIPE,
    LIVE_DIGIT_RECIPE,
    build_from_recipe,
    load_card,
    model_path,
)

__all__ = [
    "ACTIVATION_SEEDS",
    "ACTIVATION_SETUP",
    "CAPACITY_SEEDS",
    "CAPACITY_SETUP",
    "CAPACITY_SHAPES",
    "LIVE_CIFAR_RECIPE",
    "LIVE_DIGIT_RECIPE",
    "LSTM_SETUP",
    "build_from_recipe",
    "load_arrays",
    "load_card",
    "load_experiment",
    "model_path",
]
