"""What other contexts may use from exchange (数据共享交换). Import nothing else from this package."""

__all__: list[str] = []
