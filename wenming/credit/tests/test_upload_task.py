"""A department upload as a background task: read and checked outside any
transaction, written in short transactions, still all or nothing."""

import pytest
from django.urls import reverse

from wenming.accounts.tests.factories import make_unit
from wenming.core.errors import DomainError
from wenming.credit import services
from wenming.credit.models import Entity, Listing, Upload
from wenming.credit.services import listings
from wenming.credit.tests.factories import as_file, code, legal_row, make_list, sheet_bytes, upload
from wenming.tasks.models import Task
from wenming.tasks.progress import Cancelled, Progress


class _At(Progress):
    """Runs `action` when the import reaches the stage starting with `stage`."""

    def __init__(self, stage, action):
        self.stage, self.action, self.seen = stage, action, []

    def update(self, stage=None, done=None, total=None):
        self.seen.append(stage)
        if stage and stage.startswith(self.stage):
            self.action()


@pytest.fixture
def red(people):
    return make_list(people["editor"])


FIRMS = [legal_row(f"鑫源{n}号食品有限公司", code(n)) for n in range(1, 6)]


def test_cancel_after_writes_undoes_the_whole_upload(people, world, red, monkeypatch):
    monkeypatch.setattr(listings, "WRITE_CHUNK", 2)
    upload(people["editor"], red, world["dept"], [FIRMS[0]])
    tax = make_unit("市税务局", world["dept"].kind, world["city"])

    def cancel():
        raise Cancelled

    progress = _At("正在确认导入", cancel)
    with pytest.raises(Cancelled):
        services.upload_listings(people["editor"], red, tax, as_file(sheet_bytes(
            [legal_row("华泰商贸有限公司", code(9))] + FIRMS[1:])), progress=progress)
    # Three chunks of two rows had been written and committed before the cancel.
    assert [s for s in progress.seen if s.startswith("正在写入")] == [
        "正在写入第1至2条", "正在写入第3至4条", "正在写入第5至5条"]
    assert Upload.objects.count() == 1 and Listing.objects.count() == 1
    assert list(Entity.objects.values_list("name", flat=True)) == ["鑫源1号食品有限公司"]


def test_same_entity_written_meanwhile_by_another_upload_is_refused(people, world, red):
    tax = make_unit("市税务局", world["dept"].kind, world["city"])

    def other_department_uploads_it_meanwhile():
        upload(people["editor"], red, tax, [FIRMS[1]])

    with pytest.raises(DomainError, match="在本次导入期间报送列入本名单"):
        services.upload_listings(people["editor"], red, world["dept"],
                                 as_file(sheet_bytes(FIRMS[:3])),
                                 progress=_At("正在写入第1至", other_department_uploads_it_meanwhile))
    assert [(li.department, li.entity.name) for li in Listing.objects.all()] == [
        (tax, "鑫源2号食品有限公司")]
    assert Entity.objects.count() == 1


def test_list_closed_while_importing_is_refused(people, world, red):
    def review_starts():
        services.submit_for_review(people["editor"], red)

    with pytest.raises(DomainError, match="已停止接收报送"):
        services.upload_listings(people["editor"], red, world["dept"],
                                 as_file(sheet_bytes(FIRMS[:2])),
                                 progress=_At("正在确认导入", review_starts))
    assert not Listing.objects.exists() and not Upload.objects.exists()


def test_upload_task_reports_its_stages(client, people, world, red):
    client.force_login(people["editor"])
    response = client.post(reverse("credit:list_upload", args=[red.pk]),
                           {"file": as_file(sheet_bytes(FIRMS)), "department": world["dept"].pk})
    task = Task.objects.get()
    assert response.url == reverse("tasks:detail", args=[task.pk])
    assert task.title == f"导入市市场监督管理局报送的《{red.title}》"
    assert task.status == Task.Status.SUCCEEDED and (task.done, task.total) == (5, 5)
    assert task.result_url == reverse("credit:list_detail", args=[red.pk])
    assert Listing.objects.count() == 5


def test_oversized_file_fails_with_the_limit_in_the_message(client, people, world, red,
                                                            settings):
    settings.WENMING_IMPORT_MAX_CELLS = 40
    client.force_login(people["editor"])
    client.post(reverse("credit:list_upload", args=[red.pk]),
                {"file": as_file(sheet_bytes(FIRMS)), "department": world["dept"].pk})
    task = Task.objects.get()
    assert task.status == Task.Status.FAILED
    assert task.error == "文件的单元格超过了每个文件最多40个的限制，请删去多余的行列或拆分后分批上传。"
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "最多40个的限制" in page
    assert not Listing.objects.exists()


def test_user_without_a_department_starts_no_upload(client, people, world, red):
    client.force_login(people["viewer"])
    response = client.post(reverse("credit:list_upload", args=[red.pk]),
                           {"file": as_file(sheet_bytes(FIRMS))})
    assert response.status_code == 403
    assert not Task.objects.exists()
