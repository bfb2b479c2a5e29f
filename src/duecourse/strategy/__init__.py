"""Strategy as data: decision tables, validation, a reference evaluator, an ibis compiler."""
