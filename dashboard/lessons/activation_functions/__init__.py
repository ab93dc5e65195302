"""lessons/activation_functions."""
