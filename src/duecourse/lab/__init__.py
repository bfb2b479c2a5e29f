"""The simulation lab's pure core: calibration of the behaviour model (no I/O)."""
