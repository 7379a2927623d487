"""Applying, the five stages, 补正, the legal clock on the official calendar, and who may do what."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from tongban.cases import dates, services
from tongban.cases.models import Case, CaseEvent, CaseMaterial, ItemSnapshot, Outcome, Stage
from tongban.cases.tests.factories import PDF, citizen, office
from tongban.catalog.models import ItemVersion
from tongban.common.models import AuditEvent, Message
from tongban.common.notifications import deliver_pending_messages
from tongban.common.public import Conflict, DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def on_day(monkeypatch):
    """Pin the service's notion of today to an official-calendar date."""

    def set_day(value: str) -> None:
        monkeypatch.setattr(dates, "today", lambda: D(value))

    return set_day


def _submitted(desk, applicant, on_day, day="2026-02-12"):
    on_day(day)
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    for position in (1, 2):
        services.case_attach_material(
            case_id=case.pk,
            actor=applicant,
            position=position,
            source="upload",
            content=PDF,
            filename=f"{position}.pdf",
        )
    return services.case_submit(case_id=case.pk, actor=applicant, idempotency_key="k-1")


def test_precheck_lists_everything_missing_and_submission_waits_for_it(on_day):
    desk, applicant = office(), citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    assert [m.label for m in services.case_precheck(case)] == ["申请材料1", "申请材料2"]
    services.case_attach_material(case_id=case.pk, actor=applicant, position=1, source="upload", content=PDF)
    with pytest.raises(DomainError) as refusal:
        services.case_submit(case_id=case.pk, actor=applicant)
    assert refusal.value.code == "precheck_failed"
    assert list(refusal.value.fields) == ["material_2"]
    assert Case.objects.get(pk=case.pk).stage == Stage.DRAFT and Case.objects.get(pk=case.pk).number is None


def test_a_case_through_every_stage_with_one_supplement_on_the_official_calendar(on_day):
    desk, applicant = office(), citizen()
    case = _submitted(desk, applicant, on_day)
    assert case.stage == Stage.SUBMITTED
    assert case.number.startswith(f"{case.region_code}-20260212-")

    on_day("2026-02-13")
    case = services.case_accept(case_id=case.pk, actor=desk.clerk)
    assert (case.stage, case.accepted_on) == (Stage.HANDLING, D("2026-02-13"))
    # 20 working days across the Spring Festival (02-14 and 02-28 are make-up Saturdays): 03-19.
    assert (case.statutory_due, case.promised_due, case.due_provisional) == (D("2026-03-19"), D("2026-02-27"), False)

    on_day("2026-02-25")
    checklist = [{"position": 2, "name": "申请材料2", "note": "请提供加盖公章的版本"}]
    case = services.case_request_supplement(
        case_id=case.pk, actor=desk.handler, reason="材料2缺少公章", checklist=checklist
    )
    assert case.stage == Stage.SUPPLEMENT and case.suspended_since == D("2026-02-25")

    on_day("2026-03-03")
    services.case_attach_material(case_id=case.pk, actor=applicant, position=2, source="upload", content=PDF)
    case = services.case_supply(case_id=case.pk, actor=applicant)
    # The clock stood still on 02-26, 02-27, 02-28 (make-up Saturday), 03-02 and 03-03: due dates move by 5.
    assert case.stage == Stage.HANDLING and case.suspended_days == 5
    assert (case.statutory_due, case.promised_due) == (D("2026-03-26"), D("2026-03-05"))  # 02-28 counts again

    case = services.case_forward(case_id=case.pk, actor=desk.handler)
    assert case.stage == Stage.REVIEW
    case = services.case_forward(case_id=case.pk, actor=desk.reviewer)
    assert case.stage == Stage.APPROVAL
    case = services.case_approve(case_id=case.pk, actor=desk.approver)
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.APPROVED)

    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["start", "submit", "accept", "request_supplement", "supply", "forward", "forward", "approve"]
    assert AuditEvent.objects.filter(object_type="case", object_id=str(case.pk)).count() == 7
    subjects = list(Message.objects.filter(recipient=applicant).order_by("id").values_list("subject", flat=True))
    assert len(subjects) == 4  # received, accepted, supplement needed, approved
    assert deliver_pending_messages.call() == 4  # each delivered after commit, by the outbox


def test_a_due_date_into_2027_is_flagged_provisional(on_day):
    desk, applicant = office(statutory=20, promised=None), citizen()
    case = _submitted(desk, applicant, on_day, day="2026-12-14")
    on_day("2026-12-15")
    case = services.case_accept(case_id=case.pk, actor=desk.handler)
    assert case.due_provisional and case.statutory_due is not None and case.statutory_due.year == 2027
    assert case.promised_due is None


def test_an_immediate_item_is_approved_at_acceptance(on_day):
    desk, applicant = office(immediate=True), citizen()
    case = services.case_accept(case_id=_submitted(desk, applicant, on_day).pk, actor=desk.clerk)
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.APPROVED)


def test_refusing_acceptance_needs_reasons_and_the_checklist(on_day):
    desk, applicant = office(), citizen()
    case = _submitted(desk, applicant, on_day)
    with pytest.raises(DomainError) as refusal:
        services.case_refuse_acceptance(case_id=case.pk, actor=desk.clerk, reasons="", checklist=[])
    assert set(refusal.value.fields) == {"reasons", "checklist"}
    assert Case.objects.get(pk=case.pk).stage == Stage.SUBMITTED
    case = services.case_refuse_acceptance(
        case_id=case.pk, actor=desk.clerk, reasons="不属于本部门职权范围", checklist=[{"name": "向市场监管部门申请"}]
    )
    assert (case.stage, case.outcome) == (Stage.CLOSED, Outcome.NOT_ACCEPTED)


def test_denial_needs_legal_reasons(on_day):
    desk, applicant = office(), citizen()
    case = services.case_accept(case_id=_submitted(desk, applicant, on_day).pk, actor=desk.handler)
    case = services.case_forward(
        case_id=services.case_forward(case_id=case.pk, actor=desk.handler).pk, actor=desk.reviewer
    )
    with pytest.raises(DomainError):
        services.case_deny(case_id=case.pk, actor=desk.approver, legal_reasons=" ")
    case = services.case_deny(case_id=case.pk, actor=desk.approver, legal_reasons="依据《行政许可法》第三十八条")
    assert case.outcome == Outcome.DENIED


def test_roles_are_enforced_and_strangers_see_nothing(on_day):
    desk, applicant, other = office(), citizen(), citizen()
    elsewhere = office()
    case = _submitted(desk, applicant, on_day)
    with pytest.raises(PermissionDenied):
        services.case_accept(case_id=case.pk, actor=desk.reviewer)
    for stranger in (other, elsewhere.handler):
        with pytest.raises(NotFound):
            services.case_accept(case_id=case.pk, actor=stranger)
        with pytest.raises(NotFound):
            services.case_withdraw(case_id=case.pk, actor=stranger)
    with pytest.raises(NotFound):
        services.case_attach_material(case_id=case.pk, actor=other, position=1, source="upload", content=PDF)
    assert CaseEvent.objects.filter(case=case).count() == 2  # start, submit: the denials changed nothing
    assert Case.objects.get(pk=case.pk).stage == Stage.SUBMITTED


def test_a_stale_version_gets_a_conflict_and_writes_nothing(on_day):
    desk, applicant = office(), citizen()
    case = services.case_accept(case_id=_submitted(desk, applicant, on_day).pk, actor=desk.handler)
    seen = case.version
    services.case_forward(case_id=case.pk, actor=desk.handler, expected_version=seen)
    events = CaseEvent.objects.count()
    with pytest.raises(Conflict):
        services.case_request_supplement(
            case_id=case.pk, actor=desk.handler, reason="x", checklist=[{"name": "x"}], expected_version=seen
        )
    assert CaseEvent.objects.count() == events and Case.objects.get(pk=case.pk).stage == Stage.REVIEW


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins(on_day):
    desk, applicant = office(), citizen()
    case = services.case_accept(case_id=_submitted(desk, applicant, on_day).pk, actor=desk.handler)
    barrier, results = threading.Barrier(2), []

    def act(action):
        barrier.wait()
        try:
            if action == "forward":
                services.case_forward(case_id=case.pk, actor=desk.handler, expected_version=case.version)
            else:
                services.case_request_supplement(
                    case_id=case.pk,
                    actor=desk.handler,
                    reason="缺材料",
                    checklist=[{"name": "x"}],
                    expected_version=case.version,
                )
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(a,)) for a in ("forward", "supplement")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "ok"]
    assert CaseEvent.objects.filter(case_id=case.pk, action__in=["forward", "request_supplement"]).count() == 1


def test_a_retry_with_the_same_key_never_creates_a_second_case(on_day):
    desk, applicant = office(), citizen()
    materials = [{"position": p, "source": "upload", "content": PDF} for p in (1, 2)]
    first, created = services.case_apply(
        applicant=applicant,
        actor=applicant,
        item_code=desk.item_code,
        form_data={"a": 1},
        materials=materials,
        idempotency_key="req-77",
    )
    again, created_again = services.case_apply(
        applicant=applicant,
        actor=applicant,
        item_code=desk.item_code,
        form_data={"a": 1},
        materials=materials,
        idempotency_key="req-77",
    )
    assert created and not created_again and first.pk == again.pk
    assert Case.objects.count() == 1


def test_a_failed_one_shot_application_stores_nothing(on_day):
    desk, applicant = office(), citizen()
    with pytest.raises(DomainError):
        services.case_apply(
            applicant=applicant,
            actor=applicant,
            item_code=desk.item_code,
            form_data={},
            materials=[{"position": 1, "source": "upload", "content": PDF}],
            idempotency_key="req-78",
        )
    assert not Case.objects.exists() and not CaseMaterial.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("content", "field_message"),
    [
        (b"", "Choose a file to upload."),
        (b"MZ\x90\x00 not a document", "Upload a PDF, JPEG or PNG file."),
        (b"%PDF-1.4 no pages at all", "Upload a PDF of 1 to 200 pages."),
        (PDF + b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", "Upload a clean file."),
    ],
)
def test_uploads_are_checked_before_anything_is_stored(content, field_message, on_day):
    desk, applicant = office(), citizen()
    case = services.case_start(applicant=applicant, actor=applicant, item_code=desk.item_code)
    with pytest.raises(DomainError) as refusal:
        services.case_attach_material(case_id=case.pk, actor=applicant, position=1, source="upload", content=content)
    assert refusal.value.fields == {"file": gettext(field_message)}  # in the active language (zh-Hans)
    assert not CaseMaterial.objects.exists()


def _apply_with_nothing_attached(desk, applicant, key):
    case, created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"a": 1}, materials=[],
        idempotency_key=key,
    )  # fmt: skip
    assert created
    return case


def _snapshot_reads(queries):
    return [q["sql"] for q in queries.captured_queries if "cases_itemsnapshot" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_process_remembers_where_a_committed_snapshot_is_and_routes_to_the_item_s_department(on_day):
    on_day("2026-02-12")
    desk, applicant = office(materials=0), citizen()
    with transaction.atomic():  # the row found inside a transaction might still roll back: nothing is remembered
        inside = _apply_with_nothing_attached(desk, applicant, "snap-0001")
    with CaptureQueriesContext(connection) as queries:
        first = _apply_with_nothing_attached(desk, applicant, "snap-0002")
    assert len(_snapshot_reads(queries)) == 1  # still looked up: then remembered
    with CaptureQueriesContext(connection) as queries:
        second = _apply_with_nothing_attached(desk, applicant, "snap-0003")
    assert _snapshot_reads(queries) == []
    assert not [q for q in queries.captured_queries if "identity_department" in q["sql"]]
    stored = Case.objects.select_related("department").get(pk=second.pk)
    assert inside.snapshot_id == first.snapshot_id == stored.snapshot_id
    assert stored.item_snapshot["version_number"] == Case.objects.get(pk=inside.pk).item_snapshot["version_number"]
    assert stored.department == desk.department and second.department.name == desk.department.name


@pytest.mark.django_db(transaction=True)
def test_a_remembered_snapshot_that_is_gone_fails_one_application_and_then_is_forgotten(on_day):
    on_day("2026-02-12")
    desk, applicant = office(materials=0), citizen()
    _apply_with_nothing_attached(desk, applicant, "gone-0001")  # remembered
    AuditEvent.objects.all().delete()
    Case.objects.all().delete()
    ItemSnapshot.objects.all().delete()  # as if the database had been reset under the running process
    with pytest.raises(Conflict):
        _apply_with_nothing_attached(desk, applicant, "gone-0002")
    again = _apply_with_nothing_attached(desk, applicant, "gone-0002")
    assert ItemSnapshot.objects.filter(pk=again.snapshot_id).exists() and Case.objects.count() == 1


def test_a_retry_with_nothing_attached_answers_the_first_case_and_uses_up_nothing(on_day):
    on_day("2026-02-12")
    desk, applicant = office(materials=0), citizen()
    first = _apply_with_nothing_attached(desk, applicant, "retry-0001")
    again, created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"a": 1}, materials=[],
        idempotency_key="retry-0001",
    )  # fmt: skip
    assert not created and again.pk == first.pk and Case.objects.count() == 1
    assert AuditEvent.objects.filter(action="case.submitted").count() == 1 and Message.objects.count() == 1
    following = _apply_with_nothing_attached(desk, applicant, "retry-0002")
    assert following.number == first.number[:-1] + "2"  # the retry's number was given back: no hole

    ItemVersion.objects.filter(item__code=desk.item_code).update(status=ItemVersion.Status.SUPERSEDED)
    late, created = services.case_apply(
        applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"a": 1}, materials=[],
        idempotency_key="retry-0001",
    )  # fmt: skip
    assert not created and late.pk == first.pk  # the item is gone, but a retry still learns its first answer
    with pytest.raises(NotFound):
        services.case_apply(
            applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={"a": 1}, materials=[],
            idempotency_key="retry-0003",
        )  # fmt: skip
