"""工作台 — Staff workbench: Pages for window clerks, officers, supervisors and administrators."""
