"""The demo has a scoring rule and a monthly bulletin, once, and its
rankings page shows the ranked units."""

from django.core.management import call_command

from wenming.accounts.models import User
from wenming.scoring.models import Bulletin, ScoringRule


def test_demo_loads_one_rule_and_one_bulletin(db, client):
    call_command("demo", no_serve=True)
    call_command("demo", no_serve=True)

    rule = ScoringRule.objects.get()
    assert rule.version == 1 and rule.created_by.username == "admin"
    bulletin = Bulletin.objects.get()
    assert bulletin.kind == "month" and bulletin.number == 1
    assert bulletin.content["units"] and bulletin.content["summary"]["found"] > 0

    client.force_login(User.objects.get(username="admin"))
    html = client.get("/scoring/", {"kind": "month",
                                    "day": bulletin.period_start.isoformat()}).content.decode()
    ranked = [r["name"] for r in bulletin.content["units"]]
    assert bulletin.content["period"] in html
    assert all(f"{name}</" in html for name in ranked[:5])
    # The demo's typical problems have photos: the PDF is made as a task.
    started = client.post(f"/scoring/bulletins/{bulletin.pk}/file.pdf")
    page = client.get(started["Location"] + "result/")
    assert page.status_code == 200 and page.content.startswith(b"%PDF")
