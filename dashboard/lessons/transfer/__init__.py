"""lessons/transfer."""
