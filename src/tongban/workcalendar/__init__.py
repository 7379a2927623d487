"""工作日历 — Working-day calendar: the official holiday schedule as data, and the legal clock's pure
functions (add_working_days …)."""
