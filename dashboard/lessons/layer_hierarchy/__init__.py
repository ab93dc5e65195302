"""lessons/layer_hierarchy."""
