"""lessons/overfitting."""
