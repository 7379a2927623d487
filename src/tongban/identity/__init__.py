"""身份认证 — Identity and access: Natural persons, enterprises, agents and staff; login, real-name levels, roles and SSO."""
