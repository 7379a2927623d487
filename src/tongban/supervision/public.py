"""What other contexts may use from supervision (效能监督). Import nothing else from this package."""

from tongban.supervision.selectors import (
    Figures,
    Month,
    department_figures,
    overdue_cases,
    public_report_cached,
    supervisable_departments,
)

__all__ = [
    "Figures",
    "Month",
    "department_figures",
    "overdue_cases",
    "public_report_cached",
    "supervisable_departments",
]
