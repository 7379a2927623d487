"""What other contexts may use from identity. Import nothing else from ``tongban.identity``."""

from tongban.identity.models import Department, Region, User

__all__ = ["Department", "Region", "User"]
