"""What other contexts may use from catalog (事项目录). Import nothing else from this package."""

__all__: list[str] = []
