"""What other contexts may use from cases (办件). Import nothing else from this package."""

__all__: list[str] = []
