"""Built-in rules, one per module, written as an outside rule pack would write them."""
