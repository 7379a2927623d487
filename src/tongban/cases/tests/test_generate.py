"""The bulk generator behind `tongban demo generate --cases N`: on PostgreSQL it writes with COPY, which must
keep up with every column the models gain (a NOT NULL column left out of the COPY fails the whole run)."""

import pytest

from tongban.cases import generate
from tongban.cases.models import Case, CaseEvent
from tongban.cases.tests.factories import office

pytestmark = pytest.mark.django_db


def test_generated_cases_are_whole_rows_with_their_history_and_unique_numbers():
    office(promised=5)
    office(promised=None)
    result = generate.generate_cases(count=250, seed=3)
    assert result["cases"] == 250
    cases = list(Case.objects.all())
    assert len(cases) == 250
    assert len({c.number for c in cases}) == 250
    assert all(c.form_sources == {} and c.parent_id is None for c in cases)  # defaults filled by the bulk path
    assert CaseEvent.objects.filter(case__in=cases).values("case").distinct().count() == 250
    again = generate.generate_cases(count=10, seed=4)  # a second run continues the daily counters
    assert again["cases"] == 10 and Case.objects.values("number").distinct().count() == 260
