"""What other contexts may use from assistant (智能问答). Import nothing else from this package."""

__all__: list[str] = []
