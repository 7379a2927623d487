"""What other contexts may use from api (接口). Import nothing else from this package."""

__all__: list[str] = []
