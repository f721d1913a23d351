"""The supervision notice as a PDF through Typst: the red-masthead notice
with its number, level and the problem; user text stays text."""

import pytest
from django.urls import reverse

from wenming.campaign import services
from wenming.campaign.render import notice_pdf
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site
from wenming.core.testing import pdf_text, squash


@pytest.fixture
def notice(people, world):
    make_campaign(people["admin"])
    problem = dispatched(people, make_site(people["admin"], world),
                         description='东门占道经营 #read("/etc/passwd") [*粗体*]')
    return services.issue_supervision_notice(people["inspector"], problem,
                                             reason="群众多次反映")


def test_notice_pdf_reads_as_an_official_notice(notice):
    text = squash(pdf_text(notice_pdf(notice)))
    assert "创建全国文明城市工作督办单" in text
    assert squash(notice.number) in text and "一级督办" in text
    assert "川汇区：" in text and "五一路农贸市场" in text and "群众多次反映" in text
    # User text is data, printed literally and never run as markup.
    assert squash('#read("/etc/passwd")[*粗体*]') in text
    assert "周口市创建全国文明城市工作指挥部办公室" in text


def test_liaison_downloads_its_notice_and_others_cannot(client, people, notice):
    client.force_login(people["liaison"])
    response = client.get(reverse("campaign:notice_pdf", args=[notice.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert notice.number in client.get(reverse("campaign:notice_list")).content.decode()
    client.force_login(people["other_liaison"])
    assert client.get(reverse("campaign:notice_pdf", args=[notice.pk])).status_code == 404


def test_liaison_cannot_issue_notices(client, people, notice):
    client.force_login(people["liaison"])
    response = client.post(reverse("campaign:problem_action",
                                   args=[notice.problem_id, "escalate"]), {"escalate-reason": ""})
    assert response.status_code == 403
