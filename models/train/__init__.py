"""Retrain the shipped models reproducibly and write a JSON card beside each.

python -m models.train all
python -m models.train mnist_mlp_relu
"""

from __future__ import annotations

import argparse
import json
import time

import keras

from dashboard.core.data import load_dataset
from dashboard.core.training import train_model
from models.shipped import RECIPES, build_from_recipe, card_path, model_path, recipe_dict
from models.train.experiments import EXPERIMENTS, run_experiment
from models.train.other_models import OTHER_MODELS


def train_shipped(name: str) -> dict:
    """Train shipped model `name` from its recipe, save it and its card; return the card."""
    recipe = RECIPES[name]
    dataset = load_dataset(recipe.dataset, recipe.source)
    keras.utils.set_random_seed(recipe.seed)
    model = build_from_recipe(recipe, dataset.x_train.shape[1:], len(dataset.x_train))
    started = time.perf_counter()
    result = train_model(
        model,
        dataset.x_train,
        dataset.y_train,
        epochs=recipe.epochs,
        batch_size=recipe.batch_size,
        seed=recipe.seed,
        on_epoch=lambda row: print(f"  {name} epoch {row['epoch']}: loss {row['loss']:.4f}"),
    )
    seconds = time.perf_counter() - started
    test_loss, test_accuracy = model.evaluate(dataset.x_test, dataset.y_test, verbose=0)
    model.save(model_path(name))
    card = {
        "name": name,
        "description": recipe.description,
        "recipe": recipe_dict(name),
        "layers": [
            {"name": layer.name, "class": type(layer).__name__, "parameters": layer.count_params()}
            for layer in model.layers
        ],
        "parameters": model.count_params(),
        "train_samples": len(dataset.x_train),
        "test_samples": len(dataset.x_test),
        "test_accuracy": round(float(test_accuracy), 4),
        "test_loss": round(float(test_loss), 4),
        "final_train_accuracy": round(float(result.history["accuracy"].iloc[-1]), 4),
        "training_seconds": round(seconds, 1),
        "keras_version": keras.__version__,
    }
    card_path(name).write_text(json.dumps(card, indent=2) + "\n")
    return card


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=[*RECIPES, *OTHER_MODELS, *EXPERIMENTS, "all"])
    args = parser.parse_args()
    names = [*RECIPES, *OTHER_MODELS, *EXPERIMENTS] if args.name == "all" else [args.name]
    for name in names:
        if name in OTHER_MODELS:
            card = OTHER_MODELS[name]()
            print(f"{name}: {card}")
            continue
        if name in EXPERIMENTS:
            run_experiment(name)
            print(f"{name}: written to models/results/")
            continue
        card = train_shipped(name)
        print(f"{name}: test accuracy {card['test_accuracy']:.4f} in {card['training_seconds']} s")
