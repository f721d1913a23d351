import pytest

from wenming.scoring.tests.factories import ledger_problem, make_campaign, make_site


def closed_in_time(campaign, site, found_day, severity="normal"):
    return ledger_problem(campaign, site, severity=severity, events=[
        ("create", f"2024-01-{found_day} 09:00", "found", None),
        ("dispatch", f"2024-01-{found_day} 10:00", "dispatched",
         {"deadline": f"2024-01-{found_day + 3} 10:00"}),
        ("submit", f"2024-01-{found_day + 2} 10:00", "submitted", None),
        ("verify", f"2024-01-{found_day + 4} 10:00", "closed", None),
    ])


@pytest.fixture
def ledger(world):
    campaign = make_campaign()
    sites = {
        "street": make_site("五一路农贸市场", world["chuanhui"], world["street"]),
        "community": make_site("德化小区", world["chuanhui"], world["community"], "居民小区"),
        "hy_street": make_site("柳湖市场", world["huaiyang"], world["hy_street"]),
        "dept": make_site("人民路", world["chuanhui"], world["dept"], "主次干道"),
    }
    p = {}
    p[1] = closed_in_time(campaign, sites["street"], 10)
    p[2] = ledger_problem(campaign, sites["street"], severity="serious", repeat=True, events=[
        ("create", "2024-01-29 09:00", "found", None),
        ("dispatch", "2024-01-29 10:00", "dispatched", {"deadline": "2024-01-29 12:00"}),
        ("submit", "2024-02-03 12:00", "submitted", None),
        ("verify", "2024-02-05 10:00", "closed", None),
    ])
    p[3] = ledger_problem(campaign, sites["community"], events=[
        ("create", "2024-01-05 09:00", "found", None),
        ("dispatch", "2024-01-05 10:00", "dispatched", {"deadline": "2024-01-08 10:00"}),
        ("submit", "2024-01-07 10:00", "submitted", None),
        ("reject", "2024-01-09 10:00", "rejected", None),
        ("submit", "2024-01-11 15:00", "submitted", None),
        ("verify", "2024-01-12 10:00", "closed", None),
    ])
    p[4] = closed_in_time(campaign, sites["hy_street"], 20)
    p[5] = closed_in_time(campaign, sites["dept"], 21)
    p[6] = ledger_problem(campaign, sites["community"], severity="serious", events=[
        ("create", "2024-01-15 09:00", "found", None),
        ("cancel", "2024-01-16 09:00", "cancelled", None),
    ])
    p[7] = ledger_problem(campaign, sites["dept"], events=[
        ("create", "2024-02-02 09:00", "found", None)])
    return campaign, sites, p
