"""身份认证 — Identity and access: natural persons, enterprises, agents and staff; login, real-name
levels, roles and SSO."""
