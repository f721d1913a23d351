"""The admin site lists rules and bulletins but changes nothing: changes go
through the services, which check permission and write the audit trail."""

import pytest
from django.urls import reverse

from wenming.core.periods import Period
from wenming.scoring import services
from wenming.scoring.tests.factories import at


@pytest.fixture
def superuser(people):
    user = people["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def rule_and_bulletin(people, ledger):
    campaign, _, _ = ledger
    rule = services.save_rule(people["admin"], campaign, effective_from="2024-01-01")
    period = Period.containing("month", at("2024-01-15 00:00").date())
    bulletin = services.generate_bulletin(people["editor"], campaign, period)
    return rule, bulletin


def test_admin_lists_rules_and_bulletins(client, superuser, rule_and_bulletin):
    rule, bulletin = rule_and_bulletin
    client.force_login(superuser)
    rules = client.get(reverse("admin:scoring_scoringrule_changelist")).content.decode()
    assert "考核规则" in rules and "创建全国文明城市" in rules
    bulletins = client.get(reverse("admin:scoring_bulletin_changelist") + "?status__exact=draft")
    assert bulletins.status_code == 200 and bulletin.title in bulletins.content.decode()
    page = client.get(reverse("admin:scoring_bulletin_change", args=[bulletin.pk]))
    assert page.status_code == 200 and bulletin.title in page.content.decode()


def test_admin_offers_no_add_change_or_delete(client, superuser, rule_and_bulletin):
    rule, bulletin = rule_and_bulletin
    client.force_login(superuser)
    assert client.get(reverse("admin:scoring_bulletin_add")).status_code == 403
    assert client.get(reverse("admin:scoring_scoringrule_add")).status_code == 403
    client.post(reverse("admin:scoring_bulletin_change", args=[bulletin.pk]),
                {"title": "改过的标题"})
    client.post(reverse("admin:scoring_scoringrule_delete", args=[rule.pk]), {"post": "yes"})
    bulletin.refresh_from_db()
    rule.refresh_from_db()
    assert bulletin.title != "改过的标题"


def test_office_staff_without_admin_access_are_sent_to_login(client, people, rule_and_bulletin):
    client.force_login(people["editor"])
    response = client.get(reverse("admin:scoring_bulletin_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
