"""TFN: NumPy 2, which TensorFlow installs from 2.18 on."""
