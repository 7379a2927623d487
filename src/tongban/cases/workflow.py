"""The case workflow as data: which action may move a case from which stage, by which role.

Stages follow the standard flow 受理 → 承办 → 审核 → 批准 → 办结. A case carries its own ``stage_plan``
(snapshotted from the item at submission: the default ``handling, review, approval``, fewer or other stages
where the item overrides them, none for 即办件), and the targets below are resolved against it:

``NEXT``      the next stage of the plan (after the last one: the decision is due, see ``DECIDE``);
``PREVIOUS``  the stage before this one in the plan;
``RESUME``    the stage the case was in before it was suspended or sent back for 补正;
``SAME``      no stage change (reassign, extend).

```mermaid
stateDiagram-v2
    draft --> submitted: submit
    submitted --> handling: accept
    submitted --> closed: accept (即办件) / refuse_acceptance / withdraw
    submitted --> supplement: request_supplement
    handling --> review: forward
    review --> approval: forward
    review --> handling: return
    approval --> review: return
    handling --> supplement: request_supplement
    review --> supplement: request_supplement
    supplement --> handling: supply (resume)
    handling --> suspended: suspend
    suspended --> handling: resume
    approval --> closed: approve / deny
    waiting --> submitted: release (platform)
    waiting --> closed: cancel (platform)
```

一件事 (bundle) children of a later stage start in ``waiting``: no person may act on them (their rules name no
role), and the platform releases them to ``submitted`` in :mod:`tongban.cases.aftercare` once every child of
the earlier stages is approved — or cancels them when one of those was not approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tongban.cases.models import Stage


class Role(StrEnum):
    APPLICANT = "applicant"
    WINDOW_CLERK = "window_clerk"
    HANDLER = "handler"
    REVIEWER = "reviewer"
    APPROVER = "approver"


NEXT, PREVIOUS, RESUME, SAME = "@next", "@previous", "@resume", "@same"
DEFAULT_PLAN = (Stage.HANDLING, Stage.REVIEW, Stage.APPROVAL)
# Who acts at each processing stage (承办人员, 审核人员, 批准人员).
STAGE_ROLE = {Stage.HANDLING: Role.HANDLER, Stage.REVIEW: Role.REVIEWER, Stage.APPROVAL: Role.APPROVER}


@dataclass(frozen=True)
class Rule:
    target: str
    roles: frozenset[Role]


def _rule(target: str, *roles: Role) -> Rule:
    return Rule(target, frozenset(roles))


_PROCESSING = (Stage.HANDLING, Stage.REVIEW, Stage.APPROVAL)

ALLOWED_TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Stage.DRAFT, "submit"): _rule(Stage.SUBMITTED, Role.APPLICANT, Role.WINDOW_CLERK),
    (Stage.WAITING, "release"): _rule(Stage.SUBMITTED),  # the platform only, never a person
    (Stage.WAITING, "cancel"): _rule(Stage.CLOSED),  # the platform only, never a person
    (Stage.SUBMITTED, "accept"): _rule(NEXT, Role.WINDOW_CLERK, Role.HANDLER),
    (Stage.SUBMITTED, "refuse_acceptance"): _rule(Stage.CLOSED, Role.WINDOW_CLERK, Role.HANDLER),
    (Stage.SUBMITTED, "request_supplement"): _rule(Stage.SUPPLEMENT, Role.WINDOW_CLERK, Role.HANDLER),
    (Stage.SUPPLEMENT, "supply"): _rule(RESUME, Role.APPLICANT, Role.WINDOW_CLERK),
    (Stage.SUSPENDED, "resume"): _rule(RESUME, Role.HANDLER, Role.REVIEWER, Role.APPROVER),
    **{(stage, "forward"): _rule(NEXT, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "return"): _rule(PREVIOUS, STAGE_ROLE[stage]) for stage in (Stage.REVIEW, Stage.APPROVAL)},
    **{(stage, "request_supplement"): _rule(Stage.SUPPLEMENT, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "suspend"): _rule(Stage.SUSPENDED, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "reassign"): _rule(SAME, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "approve"): _rule(Stage.CLOSED, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "deny"): _rule(Stage.CLOSED, STAGE_ROLE[stage]) for stage in _PROCESSING},
    **{(stage, "extend"): _rule(SAME, Role.APPROVER) for stage in (*_PROCESSING, Stage.SUSPENDED)},
    **{
        (stage, "withdraw"): _rule(Stage.CLOSED, Role.APPLICANT)
        for stage in (Stage.SUBMITTED, Stage.SUPPLEMENT, *_PROCESSING, Stage.SUSPENDED)
    },
}


def rule_for(stage: str, action: str) -> Rule | None:
    return ALLOWED_TRANSITIONS.get((stage, action))


def resolve_target(rule: Rule, *, stage: str, plan: list[str], resume_stage: str) -> str:
    """The concrete stage a rule leads to for a case with this plan. ``NEXT`` past the plan means decided."""
    if rule.target == SAME:
        return stage
    if rule.target == RESUME:
        return resume_stage
    if rule.target == NEXT:
        position = plan.index(stage) + 1 if stage in plan else 0
        return plan[position] if position < len(plan) else Stage.CLOSED
    if rule.target == PREVIOUS:
        return plan[plan.index(stage) - 1]
    return rule.target


def is_decision_stage(stage: str, plan: list[str]) -> bool:
    """Approve and deny are taken at the last stage of the plan (批准 by default)."""
    return bool(plan) and stage == plan[-1]


def actions_for(stage: str, roles: set[Role], plan: list[str]) -> list[str]:
    """The actions these roles may take on a case in this stage (for buttons and the API)."""
    found = []
    for (rule_stage, action), rule in ALLOWED_TRANSITIONS.items():
        if rule_stage != stage or not rule.roles & roles:
            continue
        if action in {"approve", "deny"} and not is_decision_stage(stage, plan):
            continue
        if action == "forward" and is_decision_stage(stage, plan):
            continue
        found.append(action)
    return found
