"""Demo persons: valid-checksum resident IDs with the unusual sequence 99x, and the well-known demo phone
range 138 0013 800x. They exist only in the demo population registry and the demo data set."""

from __future__ import annotations

from typing import NamedTuple


class DemoPerson(NamedTuple):
    username: str
    name: str
    id_number: str
    phone: str


DEMO_PERSONS = (
    DemoPerson("citizen", "张三", "110105198503159996", "13800138000"),
    DemoPerson("citizen2", "李四", "440106199007089981", "13800138001"),
    # No account: in the demo population registry only, so a new registration can reach level L2.
    DemoPerson("", "王五", "511602197801229971", "13800138002"),
)
DEMO_ENTERPRISE_CODE = "91440106MA5DEM001M"  # valid GB 32100 checksum
