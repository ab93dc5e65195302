"""lessons/your_model."""
