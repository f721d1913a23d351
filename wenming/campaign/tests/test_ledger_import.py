"""台账导入: office staff upload the problems of an inspection round; each
becomes a problem dispatched to its unit as if entered by hand; one bad row
and nothing is written; only office staff may import."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wenming.audit.models import AuditEvent
from wenming.campaign import ledger_import
from wenming.campaign.models import Notification, Problem
from wenming.campaign.tests.factories import make_campaign, make_site, sheet
from wenming.inbox.models import Message
from wenming.tasks.models import Task
from wenming.tasks.progress import Cancelled, Progress

HEADERS = ["点位", "县区", "测评指标", "问题描述", "问题等级", "责任单位", "整改期限", "发现日期"]


@pytest.fixture
def setup(people, world):
    make_campaign(people["admin"])
    make_site(people["admin"], world)
    make_site(people["admin"], world, name="德化街", category="背街小巷", unit="street")


def _xlsx(rows, headers=HEADERS):
    return sheet(headers, rows, "台账.xlsx", content_type="application/octet-stream")


def _import(client, file):
    response = client.post(reverse("campaign:ledger_import"), {"file": file})
    assert response.status_code == 302 and response.url.startswith("/tasks/")
    return client.get(response.url).content.decode()


def _day(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_imported_problems_are_dispatched_like_hand_entered_ones(client, people, world, setup):
    client.force_login(people["inspector"])
    page = _import(client, _xlsx([
        ["五一路农贸市场", "川汇区", "1.1.1", "东门外占道经营", "较重", "", _day(5), _day(-2)],
        ["德化街", "", "路面平整，无积存垃圾、无乱堆乱放", "路面垃圾堆积", "", "川汇区", "", ""],
    ]))
    assert "台账已导入：2个问题已登记并交办责任单位。" in page
    market = Problem.objects.get(description="东门外占道经营")
    assert market.status == Problem.Status.DISPATCHED
    assert market.responsible_unit == world["chuanhui"] and market.severity == "serious"
    assert timezone.localtime(market.deadline).date().isoformat() == _day(5)
    assert timezone.localdate(market.found_at).isoformat() == _day(-2)
    street = Problem.objects.get(description="路面垃圾堆积")
    assert street.criterion.code == "1.2.1" and street.severity == "normal"
    # No deadline in the sheet: the severity's hours, as when dispatched by hand.
    hours = (street.deadline - street.dispatched_at).total_seconds() / 3600
    assert hours == pytest.approx(street.campaign.deadline_hours("normal"), abs=0.01)
    assert [e.action for e in market.events.order_by("pk")] == ["create", "dispatch"]
    assert AuditEvent.objects.filter(verb="problem.dispatch").count() == 2
    assert AuditEvent.objects.filter(verb="ledger.import").count() == 1
    assert Notification.objects.filter(kind="dispatch").count() == 2
    # The result links to the imported problems.
    task = Task.objects.get()
    listed = client.get(task.result_url).content.decode()
    assert "东门外占道经营" in listed and "路面垃圾堆积" in listed


def test_a_bad_row_is_named_and_nothing_is_written(client, people, setup):
    client.force_login(people["admin"])
    page = _import(client, _xlsx([
        ["五一路农贸市场", "", "1.1.1", "东门外占道经营", "", "", "", ""],
        ["火星农贸市场", "", "1.1.1", "不存在的点位", "", "", "", ""],
        ["德化街", "", "9.9.9", "指标不对", "很严重", "不存在的局", "2020-01-01", "明天"],
        ["德化街", "", "1.2.1", "", "", "", "", ""],
    ]))
    assert "失败" in page and "未导入任何数据" in page
    assert "第3行“点位”列（A列）：平台中没有点位“火星农贸市场”" in page
    assert "第4行“测评指标”列（C列）：“9.9.9”不是2024年版测评体系中的测评标准" in page
    assert "第4行“问题等级”列（E列）：“很严重”应为立行立改、一般、较重。" in page
    assert "第4行“责任单位”列（F列）：找不到责任单位“不存在的局”。" in page
    assert "第4行“整改期限”列（G列）：整改期限2020-01-01早于今天" in page
    assert "第4行“发现日期”列（H列）：“明天”不是日期" in page
    assert "第5行“问题描述”列（D列）：不能为空" in page
    assert not Problem.objects.exists()
    assert not Notification.objects.exists()


def test_a_cancel_while_writing_undoes_what_was_written(people, setup, monkeypatch):
    class CancelAfterFirstChunk(Progress):
        def update(self, stage=None, done=None, total=None):
            if done:
                raise Cancelled

    monkeypatch.setattr(ledger_import, "WRITE_CHUNK", 2)
    content = _xlsx([["五一路农贸市场", "", "1.1.1", f"问题{n}", "", "", "", ""]
                     for n in range(5)]).read()
    rows = ledger_import.read_ledger(content, "台账.xlsx")
    with pytest.raises(Cancelled):
        ledger_import.import_ledger(people["inspector"], rows, progress=CancelAfterFirstChunk())
    assert not Problem.objects.exists() and not Notification.objects.exists()
    # Nobody's inbox tells of a problem the undo removed.
    assert not Message.objects.exists()
    assert AuditEvent.objects.filter(verb="ledger.import_undo").count() == 1


def test_only_office_staff_import(client, people, setup):
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:ledger_import")).status_code == 403
    assert client.post(reverse("campaign:ledger_import"),
                       {"file": _xlsx([])}).status_code == 403
    assert client.get(reverse("campaign:ledger_template")).status_code == 403


def test_the_template_imports_as_it_is(client, people, setup):
    client.force_login(people["inspector"])
    template = client.get(reverse("campaign:ledger_template"))
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ledger_import.TEMPLATE_HEADERS
    example = list(rows[1])
    example[6], example[7] = _day(10), _day(0)
    page = _import(client, _xlsx([example], headers=list(rows[0])))
    assert "台账已导入：1个问题已登记并交办责任单位。" in page
    assert Problem.objects.get().responsible_unit.name == "陈州回族街道"


def test_the_command_shows_progress_and_a_summary(people, setup, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "台账.xlsx"
    path.write_bytes(_xlsx([["五一路农贸市场", "", "1.1.1", f"问题{n}", "", "", "", ""]
                            for n in range(3)]).read())
    call_command("campaign", "import-ledger", str(path), "--user", "ivan")
    out, err = capsys.readouterr()
    assert "台账已导入：3个问题已登记并交办1个责任单位。" in out
    assert "100%" in err
    assert Problem.objects.count() == 3
