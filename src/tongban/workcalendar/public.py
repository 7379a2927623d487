"""What other contexts may use from workcalendar (工作日历). Import nothing else from this package."""

__all__: list[str] = []
