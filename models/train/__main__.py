"""Run `python -m models.train NAME` (or `all`): retrain shipped models and results."""

from models.train import main

main()
