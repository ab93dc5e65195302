"""lessons/digit_network."""
