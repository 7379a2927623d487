"""What other contexts may use from ratings (好差评). Import nothing else from this package."""

__all__: list[str] = []
