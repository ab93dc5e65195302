"""Keras model builders, the shipped `.keras` files and the script that retrains them."""
