"""lessons/why_hidden_layers."""
