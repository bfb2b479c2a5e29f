"""The batch engine: facts (and later decisions) as ibis expressions, run on any ibis backend."""
