"""Case numbers from up to ten lanes per region and day (ADR 0010).

Existing counter rows become lane 0, which issues the same numbers as before. One case needs care: a region
and day whose single counter already passed 99,999 issued six-digit sequences such as ``123456``, which lane 1
would issue again. For those days, lanes 1–9 are opened at 99,999, so that their next numbers have seven
digits (``1100000``…) and collide with nothing issued before.
"""

from typing import Any

from django.db import migrations, models

LANE_COUNT_BEFORE_SEVEN_DIGITS = 99_999


def open_lanes_past_six_digits(apps: Any, schema_editor: Any) -> None:
    sequence = apps.get_model("cases", "CaseNumberSequence")
    crowded = sequence.objects.filter(lane=0, last__gt=LANE_COUNT_BEFORE_SEVEN_DIGITS)
    sequence.objects.bulk_create(
        [
            sequence(region_code=row.region_code, day=row.day, lane=lane, last=LANE_COUNT_BEFORE_SEVEN_DIGITS)
            for row in crowded
            for lane in range(1, 10)
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_stage_queue_index'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='casenumbersequence',
            name='case_number_day_once',
        ),
        migrations.AddField(
            model_name='casenumbersequence',
            name='lane',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddConstraint(
            model_name='casenumbersequence',
            constraint=models.UniqueConstraint(fields=('region_code', 'day', 'lane'), name='case_number_lane_once'),
        ),
        migrations.AddConstraint(
            model_name='casenumbersequence',
            constraint=models.CheckConstraint(condition=models.Q(('lane__lte', 9)), name='case_number_lane_one_digit'),
        ),
        migrations.RunPython(open_lanes_past_six_digits, migrations.RunPython.noop),
    ]
