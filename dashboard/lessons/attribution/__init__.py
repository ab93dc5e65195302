"""lessons/attribution."""
