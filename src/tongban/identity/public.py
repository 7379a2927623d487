"""What other contexts may use from identity (身份认证). Import nothing else from this package."""

__all__: list[str] = []
