"""效能监督 — Supervision: Deadline warnings, department figures, reports and audit-chain verification."""
