"""The verify-code probe: runs inside a managed TensorFlow environment, around the user's program.

Started by the host as `python main.py CONFIG`, it sets the seeds, imports TensorFlow, installs
its hooks (a variable creator on every graph, Session.run/close, tf.function's variable
initialisation, the random ops) and then runs the program with runpy, as `python program ARGS`
would. At the end it writes a record: every variable with its initial and final value, the
random ops the program ran, how the program ended. On side B, variables start from A's initial
values (matching.py decides which).

Python 3.7+, the standard library, NumPy and TensorFlow only; no tfshift imports (it is loaded
as the private package `_tfshift_probe`, so its module names cannot shadow the program's).
"""
