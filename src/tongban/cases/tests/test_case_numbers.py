"""Case numbers: unique across the deployment, each lane of a region's daily counter gapless (ADR 0010)."""

import importlib
import random
import threading
from collections import defaultdict
from datetime import date

import pytest
from django.apps import apps
from django.db import connection, connections, transaction
from hypothesis import given
from hypothesis import strategies as st

from tongban.cases import dates, services
from tongban.cases.history import NUMBER_LANES, case_number, next_case_number
from tongban.cases.models import CaseNumberSequence
from tongban.cases.tests.factories import citizen, office

DAY = date(2026, 12, 7)
lanes_migration = importlib.import_module("tongban.cases.migrations.0009_case_number_lanes")


class Rollback(Exception):
    """Raised inside a transaction to undo it."""


def _lane_and_count(number: str) -> tuple[int, int]:
    sequence = number.rsplit("-", 1)[1]
    return int(sequence[0]), int(sequence[1:])


def test_lane_zero_gives_the_numbers_of_the_single_counter_and_other_lanes_lead_with_their_digit():
    assert case_number("310101", DAY, 0, 42) == "310101-20261207-000042"
    assert case_number("310101", DAY, 0, 99_999) == "310101-20261207-099999"
    assert case_number("310101", DAY, 3, 7) == "310101-20261207-300007"
    assert case_number("310101", DAY, 0, 100_000) == "310101-20261207-0100000"
    assert case_number("310101", DAY, 9, 123_456) == "310101-20261207-9123456"


@given(
    st.tuples(st.integers(0, NUMBER_LANES - 1), st.integers(1, 10**7)),
    st.tuples(st.integers(0, NUMBER_LANES - 1), st.integers(1, 10**7)),
)
def test_two_different_lane_counts_never_give_the_same_number(first, second):
    assert (case_number("310101", DAY, *first) == case_number("310101", DAY, *second)) == (first == second)
    assert _lane_and_count(case_number("310101", DAY, *first)) == first


@pytest.mark.django_db
def test_one_submission_at_a_time_counts_in_lane_zero_and_a_rollback_gives_its_number_back():
    with transaction.atomic():
        assert next_case_number("310101", DAY) == "310101-20261207-000001"
    with pytest.raises(Rollback), transaction.atomic():
        assert next_case_number("310101", DAY) == "310101-20261207-000002"
        raise Rollback
    with transaction.atomic():
        assert next_case_number("310101", DAY) == "310101-20261207-000002"  # no hole
        assert next_case_number("440106", DAY) == "440106-20261207-000001"  # each region counts on its own
        assert next_case_number("310101", date(2026, 12, 8)) == "310101-20261208-000001"  # and each day
    assert list(CaseNumberSequence.objects.values_list("region_code", "day", "lane", "last").order_by("id")) == [
        ("310101", DAY, 0, 2),
        ("440106", DAY, 0, 1),
        ("310101", date(2026, 12, 8), 0, 1),
    ]


def _hold_a_number(region: str, taken: list[str], holding: threading.Event, release: threading.Event) -> None:
    """In a transaction of its own: take today's next number and keep its lane locked until ``release``."""
    try:
        with transaction.atomic():
            taken.append(next_case_number(region, dates.today()))
            holding.set()
            release.wait(timeout=20)
    finally:
        connections.close_all()


def _without_waiting() -> None:
    """Any wait for a row lock in this transaction fails at once instead of passing unnoticed."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = '1s'")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_submission_takes_the_next_free_lane_instead_of_waiting_for_a_held_one():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    desk, applicant = office(materials=0), citizen()

    def apply(key: str) -> str:
        case, created = services.case_apply(
            applicant=applicant, actor=applicant, item_code=desk.item_code, form_data={}, materials=[],
            idempotency_key=key,
        )  # fmt: skip
        assert created
        return str(case.number)

    first = apply("alone")
    region = first.split("-", 1)[0]
    holder_numbers: list[str] = []
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_a_number, args=(region, holder_numbers, holding, release))
    holder.start()
    try:
        assert holding.wait(timeout=20)
        with transaction.atomic():
            _without_waiting()
            beside_the_holder = apply("beside")
            # A transaction numbering twice (a bundle) keeps its own lane: its lock is not skipped.
            second_in_the_same_transaction = next_case_number(region, dates.today())
    finally:
        release.set()
        holder.join(timeout=30)
    today = f"{region}-{dates.today():%Y%m%d}"
    assert (first, holder_numbers, beside_the_holder) == (f"{today}-000001", [f"{today}-000002"], f"{today}-100001")
    assert second_in_the_same_transaction == f"{today}-100002"
    # Both lanes are free again: the next number comes from lane 0 once more.
    assert apply("after") == f"{today}-000003"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_numbers_and_every_lane_stays_gapless():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions (PostgreSQL)")
    committed: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def submit_many(seed: int) -> None:
        rng = random.Random(seed)
        try:
            start.wait(timeout=20)
            for _ in range(40):
                try:
                    with transaction.atomic():
                        number = next_case_number("310101", DAY)
                        if rng.random() < 0.2:  # a submission that fails after taking its number
                            raise Rollback
                        threading.Event().wait(rng.random() / 500)  # the rest of a submission's writes
                    committed.append(number)
                except Rollback:
                    pass
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit_many, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(committed) == len(set(committed)) > 0
    counts_by_lane: dict[int, list[int]] = defaultdict(list)
    for number in committed:
        lane, count = _lane_and_count(number)
        counts_by_lane[lane].append(count)
    last_by_lane = dict(CaseNumberSequence.objects.filter(region_code="310101", day=DAY).values_list("lane", "last"))
    assert {lane: sorted(counts) for lane, counts in counts_by_lane.items()} == {
        lane: list(range(1, last + 1)) for lane, last in last_by_lane.items() if last
    }
    assert len(last_by_lane) > 1  # the eight writers did not all queue on one lane


@pytest.mark.django_db
def test_a_day_whose_single_counter_passed_six_digits_continues_without_reissuing_a_number():
    CaseNumberSequence.objects.create(region_code="310101", day=DAY, last=150_000)
    CaseNumberSequence.objects.create(region_code="440106", day=DAY, last=500)
    lanes_migration.open_lanes_past_six_digits(apps, None)
    opened = CaseNumberSequence.objects.filter(lane__gt=0)
    assert sorted(opened.values_list("region_code", "lane", "last")) == [("310101", n, 99_999) for n in range(1, 10)]
    with transaction.atomic():
        assert next_case_number("310101", DAY) == "310101-20261207-0150001"  # lane 0: now seven digits
    # The first number of lane 1 would otherwise have been 100001, which the single counter already issued.
    lane_1 = CaseNumberSequence.objects.get(region_code="310101", day=DAY, lane=1)
    assert case_number("310101", DAY, 1, lane_1.last + 1) == "310101-20261207-1100000"
