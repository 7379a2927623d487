"""What other contexts may use from identity. Import nothing else from ``tongban.identity``.

For cases/catalog: ``User``, ``Region``, ``Department``, ``RealNameLevel``, ``require_level`` (raises
``LevelRequired``), ``staff_scope``/``departments_visible_to`` (the staff scoping helpers), ``act_for`` (check
and record an act done for someone else), ``principals_for``, ``person_find``, ``person_view_for`` and the
masking helpers. For exchange: ``PopulationRegistry``/``RegistryUnavailable`` (the real-name L2 connector
interface it implements), ``register_machine_scopes`` (which ``exchange:<resource>`` scopes a department
system's client-credentials client may hold), ``machine_token``, ``machine_client_register``,
``person_user_by_id_number``. The API router uses the reader/writer functions below as well.
"""

from tongban.identity.errors import LevelRequired
from tongban.identity.ids import check as ids_check
from tongban.identity.ids import mask_phone, mask_resident_id
from tongban.identity.machine import (
    MachineClient,
    MachineToken,
    machine_client_exists,
    machine_client_register,
    machine_token,
    person_user_by_id_number,
    register_machine_scopes,
)
from tongban.identity.models import Department, Enterprise, RealNameLevel, Region, StaffRole, User
from tongban.identity.registry import PopulationRegistry, RegistryUnavailable
from tongban.identity.selectors import (
    PersonView,
    StaffScope,
    authorisation_visible_to,
    authorisations_given_by,
    authorisations_received_by,
    departments_visible_to,
    enterprises_visible_to,
    is_administrator,
    login_history_for,
    person_view_for,
    principals_for,
    staff_scope,
)
from tongban.identity.services import (
    act_for,
    authorisation_grant,
    authorisation_revoke,
    department_ensure,
    person_confirm_by_registry,
    person_confirm_in_person,
    person_find,
    region_ensure,
    require_level,
)

__all__ = [
    "Department",
    "Enterprise",
    "LevelRequired",
    "MachineClient",
    "MachineToken",
    "PersonView",
    "PopulationRegistry",
    "RealNameLevel",
    "Region",
    "RegistryUnavailable",
    "StaffRole",
    "StaffScope",
    "User",
    "act_for",
    "authorisation_grant",
    "authorisation_revoke",
    "authorisation_visible_to",
    "authorisations_given_by",
    "authorisations_received_by",
    "department_ensure",
    "departments_visible_to",
    "enterprises_visible_to",
    "ids_check",
    "is_administrator",
    "login_history_for",
    "machine_client_exists",
    "machine_client_register",
    "machine_token",
    "mask_phone",
    "mask_resident_id",
    "person_confirm_by_registry",
    "person_confirm_in_person",
    "person_find",
    "person_user_by_id_number",
    "person_view_for",
    "principals_for",
    "region_ensure",
    "register_machine_scopes",
    "require_level",
    "staff_scope",
]
