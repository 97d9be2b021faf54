"""Keras 2 to Keras 3 conversion, the worker's half (see tfshift.models.convert.keras_route)."""
