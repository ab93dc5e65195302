"""lessons/other_architectures."""
