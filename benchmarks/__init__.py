"""Benchmarks of the embedded host and the replay model: scripts that print figures and targets.

Run them all with ``python -m benchmarks`` (``make bench``) or one with
``python -m benchmarks.host_overhead``. None of them asserts: speed depends on the machine, so
the figures go to the README, and tests check only what the model predicts exactly.
"""
