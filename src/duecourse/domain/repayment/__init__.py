"""Repayment plans (分期还款, 延期/缓还, 减免) with exact money: a pure core, no I/O.

``terms`` holds the records (debt, proposal, guardrails), ``amortise`` the schedules,
``cost`` the annualised cost of credit, ``plan`` builds a plan from a proposal and ``decide``
checks it against a lender's guardrails. Every amount is ``Decimal`` yuan rounded
``ROUND_HALF_UP`` to the fen (:func:`duecourse.domain.money.round_money`).
"""
