"""电子证照 — E-licenses: License types, issuance, signatures, status lists and verification."""
