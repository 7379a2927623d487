"""What other contexts may use from portal (门户). Import nothing else from this package."""

__all__: list[str] = []
