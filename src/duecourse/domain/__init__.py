"""The pure core: records, money, the servicing ledger and the account-facts definitions.

Nothing here does I/O; the clock (an as-of date) is always a parameter.
"""
