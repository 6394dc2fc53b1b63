"""The benchmark harness behind bench/run.py, a module per concern (see run.py for what it measures)."""
