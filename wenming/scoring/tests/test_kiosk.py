"""数据大屏: the wall screen's figures are the ledger's at the instant it
states; a wall opens it by a revocable kiosk token, staff by signing in."""

import re
from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.campaign import services as campaign_services
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import (
    dispatched,
    jpeg,
    make_campaign,
    make_problem,
    make_site,
    submitted,
    upload,
)
from wenming.core.periods import Period
from wenming.scoring import kiosk, services
from wenming.scoring.models import Kiosk


def _ledger(people, world):
    campaign = make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    other = make_site(people["admin"], world, name="柳湖市场", district="huaiyang",
                      unit="huaiyang", lat=33.73, lng=114.88)
    make_problem(people["inspector"], site)  # found, not dispatched
    late = dispatched(people, site)
    Problem.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(days=2))
    dispatched(people, other)
    closed = campaign_services.verify_problem(people["inspector"], submitted(people, site))
    old = campaign_services.verify_problem(people["inspector"], submitted(people, site))
    Problem.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=40))
    cancelled = make_problem(people["inspector"], other)
    campaign_services.cancel_problem(people["inspector"], cancelled, reason="重复录入")
    return campaign, closed


def test_headline_figures_equal_the_ledger_at_the_stated_instant(people, world):
    campaign, _ = _ledger(people, world)
    now = timezone.now()
    f = kiosk.headline(campaign, now)
    month = Period.containing("month", timezone.localtime(now).date())
    problems = Problem.objects.filter(campaign=campaign)
    assert f["open"] == problems.exclude(status__in=Problem.FINISHED).count() == 3
    assert f["overdue"] == problems.filter(Problem.overdue_at(now)).count() == 1
    closed_now = problems.filter(status="closed", closed_at__gte=month.start_at).count()
    assert f["closed_month"] == closed_now == 1
    assert f["closed"] == 2 and f["total"] == problems.exclude(status="cancelled").count() == 5
    assert f["rate"] == 40.0
    # A deadline passing later changes nothing at the stated instant.
    assert kiosk.headline(campaign, now - timedelta(days=3))["overdue"] == \
        problems.filter(Problem.overdue_at(now - timedelta(days=3))).count() == 0


def test_office_opens_the_big_screen_signed_in(client, people, world):
    _, closed = _ledger(people, world)
    client.force_login(people["viewer"])
    response = client.get(reverse("scoring:kiosk"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 300s"' in html and "每5分钟刷新" in html
    assert "site-header" not in html  # its own page: no site menu
    assert re.search(r'id="kpi-open">3<', html) and re.search(r'id="kpi-overdue">1<', html)
    assert "截至" in html and "五一路农贸市场" in html
    photo = closed.photos.get(stage="after")
    url = reverse("scoring:kiosk_photo", args=[photo.pk])
    assert url in html
    assert client.get(url)["Content-Type"] == "image/jpeg"
    # The problem's own photo is never served here.
    found = closed.photos.get(stage="found")
    assert client.get(reverse("scoring:kiosk_photo", args=[found.pk])).status_code == 404


def test_a_liaison_and_the_public_do_not_open_it_without_a_token(client, people, world):
    _ledger(people, world)
    assert client.get(reverse("scoring:kiosk")).status_code == 302
    client.force_login(people["liaison"])
    assert client.get(reverse("scoring:kiosk")).status_code == 403


def test_wall_screen_opens_by_token_until_revoked(client, people, world):
    _, closed = _ledger(people, world)
    admin = client
    admin.force_login(people["admin"])
    response = admin.post(reverse("scoring:kiosk_list"), {"name": "指挥部大厅大屏"})
    url = re.search(r'<code class="kiosk-url">([^<]+)</code>', response.content.decode())[1]
    screen = Kiosk.objects.get()
    assert screen.token_hash not in url  # only the digest is stored
    assert AuditEvent.objects.filter(verb="kiosk.create", object_id=str(screen.pk)).exists()

    from django.test import Client

    wall = Client()
    page = wall.get(url)
    assert page.status_code == 200 and "指挥部大厅大屏" in page.content.decode()
    screen.refresh_from_db()
    assert screen.last_seen_at is not None
    token = url.rstrip("/").rsplit("/", 1)[1]
    photo = closed.photos.get(stage="after")
    assert wall.get(reverse("scoring:kiosk_screen_photo", args=[token, photo.pk])).status_code \
        == 200
    assert wall.get(reverse("scoring:kiosk_screen", args=["x" + token])).status_code == 404

    admin.post(reverse("scoring:kiosk_revoke", args=[screen.pk]))
    assert wall.get(url).status_code == 404
    assert wall.get(reverse("scoring:kiosk_screen_photo", args=[token, photo.pk])) \
        .status_code == 404
    assert AuditEvent.objects.filter(verb="kiosk.revoke").count() == 1


def test_only_the_admin_manages_kiosk_links(client, people):
    client.force_login(people["viewer"])
    assert client.post(reverse("scoring:kiosk_list"), {"name": "x"}).status_code == 403
    try:
        services.create_kiosk(people["editor"], name="x")
    except Exception as e:  # noqa: BLE001
        assert "管理员" in str(e)
    assert not Kiosk.objects.filter(~Q(name="")).exists()


def test_after_photo_of_a_rejected_fix_stays_hidden(client, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    problem = submitted(people, site)
    campaign_services.reject_rectification(people["inspector"], problem, reason="未清理干净")
    campaign_services.submit_rectification(people["liaison"], problem, text="已再次清理",
                                           photos=[upload(jpeg("blue"))])
    campaign_services.verify_problem(people["inspector"], problem)
    rejected, verified = problem.photos.filter(stage="after").order_by("pk")
    client.force_login(people["viewer"])
    assert client.get(reverse("scoring:kiosk_photo", args=[rejected.pk])).status_code == 404
    assert client.get(reverse("scoring:kiosk_photo", args=[verified.pk])).status_code == 200


def test_before_any_campaign_the_screen_says_so(client, people):
    client.force_login(people["viewer"])
    response = client.get(reverse("scoring:kiosk"))
    assert response.status_code == 200 and "还没有创建活动" in response.content.decode()
