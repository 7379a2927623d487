"""Cases test set-up: a published item with materials, its department's staff, and applicants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tongban.catalog.tests.factories import ItemVersionFactory, MaterialFactory
from tongban.identity.public import StaffRole, User
from tongban.identity.tests.factories import StaffAssignmentFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF"


@dataclass
class Office:
    """A department with one person in each role, and the item it handles."""

    item_code: str
    department: Any
    clerk: User
    handler: User
    reviewer: User
    approver: User


def published_item(
    *, immediate: bool = False, materials: int = 2, statutory: int | None = 20, promised: int | None = 5, **version: Any
) -> Any:
    item_version = ItemVersionFactory(
        published=True,
        is_immediate=immediate,
        statutory_limit_days=statutory,
        promised_limit_days=promised,
        **version,
    )
    for position in range(1, materials + 1):
        MaterialFactory(version=item_version, position=position, name=f"申请材料{position}")
    return item_version


def office(**item: Any) -> Office:
    version = published_item(**item)
    department = version.item.department

    def staff(role: str) -> User:
        assignment = StaffAssignmentFactory(department=department, role=role)
        return assignment.user  # type: ignore[no-any-return]

    return Office(
        item_code=version.item.code,
        department=department,
        clerk=staff(StaffRole.WINDOW_CLERK),
        handler=staff(StaffRole.HANDLER),
        reviewer=staff(StaffRole.REVIEWER),
        approver=staff(StaffRole.APPROVER),
    )


def citizen(**kwargs: Any) -> User:
    return UserFactory(**kwargs)
