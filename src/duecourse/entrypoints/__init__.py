"""Entry points: the command line (and later the API and console)."""
