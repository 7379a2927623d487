"""What other contexts may use from assistant (智能问答). Import nothing else from this package."""

from tongban.assistant.index import reindex
from tongban.assistant.services import Answer, Hit, describe_limit, search

__all__ = ["Answer", "Hit", "describe_limit", "reindex", "search"]
