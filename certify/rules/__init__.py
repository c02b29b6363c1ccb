"""The certification rules: pure read-side logic, no UI, no permissions.

- :mod:`~certify.rules.dates` — month arithmetic, validity periods, certificate statuses;
- :mod:`~certify.rules.competencies` — a person's competency levels as of a date;
- :mod:`~certify.rules.modules` — module completions as of a date;
- :mod:`~certify.rules.holdings` — certificates held, and since when;
- :mod:`~certify.rules.eligibility` — :func:`explain`: eligibility, line by line;
- :mod:`~certify.rules.progress` — every person × programme status of a scope, in SQL.
"""
