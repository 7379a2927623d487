"""What other contexts may use from workbench (工作台). Import nothing else from this package."""

__all__: list[str] = []
