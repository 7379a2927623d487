"""Staff: roles in departments, scope as data (a department and everything below it), TOTP second factor."""

import datetime

import pyotp
import pytest
from django.utils import timezone

from tongban.common.public import PermissionDenied
from tongban.identity import crypto, services
from tongban.identity.errors import LoginFailed, TooManyAttempts
from tongban.identity.models import StaffAssignment, StaffRole, TotpDevice
from tongban.identity.selectors import departments_visible_to, staff_assignments_visible_to, staff_scope
from tongban.identity.tests.factories import DepartmentFactory, StaffAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_scope_covers_a_department_and_its_children_only():
    city = DepartmentFactory()
    district = DepartmentFactory(parent=city)
    street = DepartmentFactory(parent=district)
    other = DepartmentFactory()
    officer = StaffAssignmentFactory(department=district).user
    scope = staff_scope(officer)
    assert scope.department_ids == {district.pk, street.pk}
    assert scope.region_codes == {district.region_id, street.region_id}
    assert scope.covers_department(street.pk) and not scope.covers_department(city.pk)
    assert not scope.covers_department(other.pk)
    assert set(departments_visible_to(officer)) == {district, street}
    admin = StaffAssignmentFactory(administrator=True, department=city).user
    assert staff_scope(admin).everything and departments_visible_to(admin).count() == 4
    assert staff_scope(UserFactory()).department_ids == frozenset()


def test_staff_of_department_a_cannot_see_b_staff():
    a, b = DepartmentFactory(), DepartmentFactory()
    alice = StaffAssignmentFactory(department=a).user
    bob_role = StaffAssignmentFactory(department=b)
    assert list(staff_assignments_visible_to(alice)) == [StaffAssignment.objects.get(user=alice)]
    assert bob_role not in staff_assignments_visible_to(alice)


def test_only_administrators_assign_roles_and_denial_changes_nothing():
    department = DepartmentFactory()
    handler = StaffAssignmentFactory(department=department).user
    newcomer = UserFactory()
    with pytest.raises(PermissionDenied):
        services.staff_assign(actor=handler, user=newcomer, department=department, role=StaffRole.APPROVER)
    newcomer.refresh_from_db()
    assert not newcomer.is_staff and not StaffAssignment.objects.filter(user=newcomer).exists()
    admin = UserFactory(administrator=True)
    services.staff_assign(actor=admin, user=newcomer, department=department, role=StaffRole.APPROVER)
    newcomer.refresh_from_db()
    assert newcomer.is_staff and StaffAssignment.objects.filter(user=newcomer, role=StaffRole.APPROVER).count() == 1


def test_totp_enrolment_then_verification_refuses_replays_and_locks_out():
    user = UserFactory(staff=True)
    secret = services.totp_begin(user=user)
    device = TotpDevice.objects.get(user=user)
    assert secret not in device.secret_cipher and crypto.decrypt(device.secret_cipher) == secret
    code = pyotp.TOTP(secret).now()
    services.totp_verify(user=user, code=code, ip="10.0.0.1")
    device.refresh_from_db()
    assert device.confirmed_at is not None
    with pytest.raises(LoginFailed):
        services.totp_verify(user=user, code=code, ip="10.0.0.1")  # the same code twice: a replay
    for _ in range(4):
        with pytest.raises(LoginFailed):
            services.totp_verify(user=user, code="000000", ip="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        services.totp_verify(
            user=user, code=pyotp.TOTP(secret).at(timezone.now() + datetime.timedelta(seconds=30)), ip="10.0.0.1"
        )
