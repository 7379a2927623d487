"""办件 — Cases: Applications, the workflow transition table, stages, suspensions, decisions and tracking."""
