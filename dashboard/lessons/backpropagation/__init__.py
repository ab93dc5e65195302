"""lessons/backpropagation."""
