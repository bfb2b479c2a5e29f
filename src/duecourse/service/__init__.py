"""Use cases: import, facts, sample portfolios. They gather facts, call the core, apply effects."""
