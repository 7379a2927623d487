"""What other contexts may use from supervision (效能监督). Import nothing else from this package."""

__all__: list[str] = []
