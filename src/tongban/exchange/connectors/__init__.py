"""Connectors: how the exchange reaches a provider's system. A plugin per transport (see ``registry``)."""
