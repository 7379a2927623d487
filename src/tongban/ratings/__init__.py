"""好差评 — Ratings: 好差评 ratings and rectification tickets."""
