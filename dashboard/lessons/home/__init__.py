"""The home lesson: what a hidden layer is, one layer step by step."""
