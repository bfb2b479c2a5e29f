"""The borrower's side: rights guide records, honesty texts and letters (pure: no I/O)."""
