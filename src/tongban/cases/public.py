"""What other contexts may use from cases (办件). Import nothing else from this package.

Entry points (``api``, ``workbench``, ``portal``) call the services and selectors below; the workbench mounts
the staff pages of this context (``*_page``) under /workbench/.
"""

from tongban.cases.models import OPEN_STAGES, Case, Outcome, Stage, Warning
from tongban.cases.selectors import (
    available_actions,
    case_get_for,
    cases_visible_to,
    my_cases,
    open_supplement,
    remaining_days,
    staff_queue,
    timeline,
)
from tongban.cases.services import (
    case_accept,
    case_apply,
    case_approve,
    case_attach_material,
    case_deny,
    case_extend,
    case_forward,
    case_precheck,
    case_prefill,
    case_provide_automatically,
    case_reassign,
    case_refuse_acceptance,
    case_request_supplement,
    case_resume,
    case_return,
    case_start,
    case_submit,
    case_supply,
    case_suspend,
    case_update_form,
    case_withdraw,
)
from tongban.cases.uploads import MAX_BYTES as MAX_UPLOAD_BYTES
from tongban.cases.views import intake as intake_page
from tongban.cases.views import intake_case as intake_case_page
from tongban.cases.views import intake_material as intake_material_page
from tongban.cases.views import staff_case as staff_case_page
from tongban.cases.views import staff_material_file as staff_material_file_page

__all__ = [
    "MAX_UPLOAD_BYTES",
    "OPEN_STAGES",
    "Case",
    "Outcome",
    "Stage",
    "Warning",
    "available_actions",
    "case_accept",
    "case_apply",
    "case_approve",
    "case_attach_material",
    "case_deny",
    "case_extend",
    "case_forward",
    "case_get_for",
    "case_precheck",
    "case_prefill",
    "case_provide_automatically",
    "case_reassign",
    "case_refuse_acceptance",
    "case_request_supplement",
    "case_resume",
    "case_return",
    "case_start",
    "case_submit",
    "case_supply",
    "case_suspend",
    "case_update_form",
    "case_withdraw",
    "cases_visible_to",
    "intake_case_page",
    "intake_material_page",
    "intake_page",
    "my_cases",
    "open_supplement",
    "remaining_days",
    "staff_case_page",
    "staff_material_file_page",
    "staff_queue",
    "timeline",
]
