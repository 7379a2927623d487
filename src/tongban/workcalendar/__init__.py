"""工作日历 — Working-day calendar: The official holiday schedule as data and the legal clock's pure functions (add_working_days …)."""
