"""门户 — Citizen portal: Pages for citizens and enterprises. Calls services; never saves models itself."""
