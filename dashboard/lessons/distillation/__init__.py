"""lessons/distillation."""
