"""duecourse — a compliance-first collections engine and a borrower transparency tool."""

__all__ = ["__version__"]

__version__ = "0.1.0"
