"""Native TensorFlow 2 migration (`tfshift upgrade --native`, `scan --native`).

Where `tfshift upgrade` keeps TF1 code alive through `tf.compat.v1`, the native path rewrites it
into TensorFlow 2 with Keras 3. Each pattern family is one module of this package defining
`FAMILY = Family(...)` (family.py says what a family is); registry.py finds them; driver.py runs
them over a file until nothing more changes and decides, program by program, which files go
native and which stay on the compat upgrade. Users' documentation: docs/native.md.
"""
