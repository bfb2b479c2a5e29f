"""Compliance: rule packs as hard guards. Every rule returns verdicts with reasons, as data."""
