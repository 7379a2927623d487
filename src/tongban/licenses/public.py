"""What other contexts may use from licenses (电子证照). Import nothing else from this package."""

__all__: list[str] = []
