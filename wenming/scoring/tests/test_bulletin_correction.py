"""A published bulletin is frozen; an editor corrects it with a new draft
for the same period that points back to it."""

import pytest

from wenming.audit.models import AuditEvent
from wenming.core.testing import pdf_text, squash
from wenming.scoring.models import Bulletin
from wenming.scoring.tests.factories import ledger_problem, publish


def generate(client, people):
    client.force_login(people["editor"])
    client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    return Bulletin.objects.get()


@pytest.fixture
def published(client, people, ledger):
    bulletin = publish(client, people, generate(client, people))
    assert bulletin.status == "published"
    return bulletin


def test_editor_corrects_a_published_bulletin(client, people, ledger, published):
    campaign, sites, _ = ledger
    # A January problem entered late: the correction counts it, the original stays as it was.
    ledger_problem(campaign, sites["hy_street"], events=[("create", "2024-01-25 09:00", "found",
                                                          None)])
    client.force_login(people["editor"])
    page = client.get(f"/scoring/bulletins/{published.pk}/").content.decode()
    assert "发布更正" in page and 'name="reason"' in page

    response = client.post(f"/scoring/bulletins/{published.pk}/correct/",
                           {"reason": "漏计柳湖市场1月25日发现的问题。"})

    correction = Bulletin.objects.exclude(pk=published.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/scoring/bulletins/{correction.pk}/"
    assert (correction.status, correction.replaces, correction.number, correction.year) == \
        ("draft", published, 2, 2024)
    assert (correction.kind, correction.period_start) == (published.kind, published.period_start)
    assert correction.title == published.title + "（更正）"
    assert correction.correction_note == "漏计柳湖市场1月25日发现的问题。"
    assert correction.content["summary"]["found"] == 6
    published.refresh_from_db()
    assert published.status == "published" and published.content["summary"]["found"] == 5

    page = client.get(f"/scoring/bulletins/{correction.pk}/").content.decode()
    assert f'<a href="/scoring/bulletins/{published.pk}/">更正第1期</a>' in page
    assert "漏计柳湖市场1月25日发现的问题。" in page
    page = client.get(f"/scoring/bulletins/{published.pk}/").content.decode()
    assert f'<a href="/scoring/bulletins/{correction.pk}/">已被第2期更正</a>' in page
    assert "发布更正</button>" not in page
    listing = client.get("/scoring/bulletins/").content.decode()
    assert "已被第2期更正" in listing and "更正第1期" in listing

    pdf = client.get(f"/scoring/bulletins/{correction.pk}/file.pdf").content
    text = squash(pdf_text(pdf))
    assert "本期更正2024年第1期通报。更正说明：漏计柳湖市场1月25日发现的问题。" in text

    event = AuditEvent.objects.get(verb="bulletin.correct")
    assert event.actor == people["editor"] and event.object_id == str(correction.pk)
    assert event.after["replaces"] == published.pk and event.after["number"] == 2
    assert event.after["correction_note"] == "漏计柳湖市场1月25日发现的问题。"


def test_a_correction_needs_a_reason(client, people, published):
    client.force_login(people["editor"])
    response = client.post(f"/scoring/bulletins/{published.pk}/correct/", {"reason": "  "},
                           follow=True)
    assert "“更正说明”不能为空" in response.content.decode()
    assert Bulletin.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="bulletin.correct").exists()


def test_a_draft_is_not_corrected(client, people, ledger):
    draft = generate(client, people)
    page = client.get(f"/scoring/bulletins/{draft.pk}/").content.decode()
    assert "发布更正" not in page
    response = client.post(f"/scoring/bulletins/{draft.pk}/correct/", {"reason": "数字有误"},
                           follow=True)
    assert "尚未发布，不需要更正" in response.content.decode()
    assert Bulletin.objects.count() == 1


def test_a_bulletin_is_corrected_once(client, people, published):
    client.force_login(people["editor"])
    client.post(f"/scoring/bulletins/{published.pk}/correct/", {"reason": "数字有误"})
    response = client.post(f"/scoring/bulletins/{published.pk}/correct/", {"reason": "再改"},
                           follow=True)
    assert "已有未发布的更正稿（第2期）" in response.content.decode()
    assert Bulletin.objects.count() == 2


def test_a_correction_of_a_correction_keeps_one_suffix(client, people, published):
    client.force_login(people["editor"])
    client.post(f"/scoring/bulletins/{published.pk}/correct/", {"reason": "数字有误"})
    first = publish(client, people, Bulletin.objects.get(number=2))
    client.force_login(people["editor"])
    response = client.post(f"/scoring/bulletins/{published.pk}/correct/", {"reason": "再改"},
                           follow=True)
    assert "已被第2期更正" in response.content.decode()
    client.post(f"/scoring/bulletins/{first.pk}/correct/", {"reason": "名次有误"})
    second = Bulletin.objects.get(number=3)
    assert second.replaces == first and second.title == published.title + "（更正）"


def test_liaison_and_viewer_cannot_correct(client, people, published):
    client.force_login(people["liaison"])
    assert client.post(f"/scoring/bulletins/{published.pk}/correct/",
                       {"reason": "数字有误"}).status_code == 403
    client.force_login(people["viewer"])
    page = client.get(f"/scoring/bulletins/{published.pk}/").content.decode()
    assert "发布更正" not in page
    assert client.post(f"/scoring/bulletins/{published.pk}/correct/",
                       {"reason": "数字有误"}).status_code == 403
    assert Bulletin.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="bulletin.correct").exists()
