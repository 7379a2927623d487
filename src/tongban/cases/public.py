"""What other contexts may use from cases (办件). Import nothing else from this package.

Entry points (``api``, ``workbench``, ``portal``) call the services and selectors below; the workbench mounts
the staff pages of this context (``*_page``) under /workbench/.
"""

from tongban.cases.aftercare import bundle_settle
from tongban.cases.bundle_views import applicant_record as applicant_record_page
from tongban.cases.bundle_views import postcheck_decide as postcheck_decide_page
from tongban.cases.bundle_views import postcheck_queue as postcheck_queue_page
from tongban.cases.bundles import (
    BundlePlan,
    Saving,
    bundle_apply,
    bundle_get_for,
    bundle_plan,
    bundle_progress,
    bundle_saving_figures,
    bundles_visible_to,
)
from tongban.cases.commitments import (
    commitment_record,
    commitment_record_for_case,
    commitment_sign,
    postcheck_decide,
    postcheck_get_for,
    postcheck_queue,
)
from tongban.cases.models import (
    OPEN_STAGES,
    BundleCase,
    BundleStatus,
    Case,
    CommitmentBreach,
    Outcome,
    PostCheck,
    PostCheckStatus,
    Stage,
    Warning,
)
from tongban.cases.selectors import (
    available_actions,
    case_get_for,
    cases_visible_to,
    my_case_rows,
    my_cases,
    open_supplement,
    remaining_days,
    staff_queue,
    staff_queue_rows,
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
    "BundleCase",
    "BundlePlan",
    "BundleStatus",
    "Case",
    "CommitmentBreach",
    "Outcome",
    "PostCheck",
    "PostCheckStatus",
    "Saving",
    "Stage",
    "Warning",
    "applicant_record_page",
    "available_actions",
    "bundle_apply",
    "bundle_get_for",
    "bundle_plan",
    "bundle_progress",
    "bundle_saving_figures",
    "bundle_settle",
    "bundles_visible_to",
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
    "commitment_record",
    "commitment_record_for_case",
    "commitment_sign",
    "intake_case_page",
    "intake_material_page",
    "intake_page",
    "my_case_rows",
    "my_cases",
    "open_supplement",
    "postcheck_decide",
    "postcheck_decide_page",
    "postcheck_get_for",
    "postcheck_queue",
    "postcheck_queue_page",
    "remaining_days",
    "staff_case_page",
    "staff_material_file_page",
    "staff_queue",
    "staff_queue_rows",
    "timeline",
]
