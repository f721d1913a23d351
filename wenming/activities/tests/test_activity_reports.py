"""Units report activities into a themed campaign; each sees only its own."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from PIL import Image

from wenming.activities import services
from wenming.activities.models import Activity, ActivityPhoto, ThemedCampaign
from wenming.activities.tests.factories import jpeg_bytes, make_themed_campaign, report, upload
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError


@pytest.fixture
def themed_campaign(people, world):
    return make_themed_campaign(people["editor"], units=[world["chuanhui"], world["huaiyang"]])


def _form(themed_campaign, unit, **overrides):
    data = {"unit": unit.pk, "title": "德化社区环境大扫除", "date": "2024-01-06",
            "place": "德化社区", "content_area": themed_campaign.areas.get(name="环境卫生清扫").pk,
            "participants": "35", "volunteers": "30", "volunteer_hours": "60",
            "beneficiaries": "400", "summary": "清理楼道杂物和绿化带垃圾。\n劝导居民规范停车。"}
    data.update(overrides)
    return data


def test_liaison_reports_an_activity_with_photos(client, people, world, themed_campaign):
    client.force_login(people["liaison"])
    response = client.post(reverse("activities:activity_new", args=[themed_campaign.pk]),
                           {**_form(themed_campaign, world["chuanhui"]),
                            "photos": [upload(), upload(name="第二张.jpg")]})
    activity = Activity.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert activity.unit == world["chuanhui"] and activity.reported_by == people["liaison"]
    assert activity.volunteer_hours == Decimal("60.0") and activity.photos.count() == 2
    assert activity.paragraphs == ["清理楼道杂物和绿化带垃圾。", "劝导居民规范停车。"]
    photo = activity.photos.first()
    assert photo.image.name.endswith(".jpg") and "现场" not in photo.image.name
    shown = client.get(reverse("activities:photo", args=[photo.pk]))
    assert shown["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(shown.content)).size == (320, 240)
    assert AuditEvent.objects.filter(verb="activity.report").count() == 1


def test_form_errors_name_the_field(client, people, world, themed_campaign):
    client.force_login(people["liaison"])
    response = client.post(reverse("activities:activity_new", args=[themed_campaign.pk]),
                           _form(themed_campaign, world["chuanhui"], volunteers="50"))
    assert response.status_code == 200
    assert "“志愿者人数”不能多于“参与人数”" in response.content.decode()
    response = client.post(reverse("activities:activity_new", args=[themed_campaign.pk]),
                           {**_form(themed_campaign, world["chuanhui"]),
                            "photos": [upload(b"<html>not a photo</html>", name="x.jpg")]})
    assert "照片“x.jpg”不是可识别的图片文件" in response.content.decode()
    assert not Activity.objects.exists() and not ActivityPhoto.objects.exists()


def test_liaison_reports_only_for_own_unit(client, people, world, themed_campaign):
    with pytest.raises(PermissionDenied):
        report(people["liaison"], themed_campaign, world["huaiyang"])
    client.force_login(people["liaison"])
    response = client.post(reverse("activities:activity_new", args=[themed_campaign.pk]),
                           _form(themed_campaign, world["huaiyang"]))
    assert response.status_code == 200 and not Activity.objects.exists()
    # A unit below the liaison's own is in scope.
    assert report(people["liaison"], themed_campaign, world["street"]).unit == world["street"]


def test_other_units_activities_answer_404(client, people, world, themed_campaign):
    theirs = report(people["other_liaison"], themed_campaign, world["huaiyang"],
                    photos=[upload()])
    mine = report(people["liaison"], themed_campaign, world["chuanhui"])
    client.force_login(people["liaison"])
    for name, pk in [("activity_detail", theirs.pk), ("activity_edit", theirs.pk),
                     ("photo", theirs.photos.get().pk)]:
        assert client.get(reverse(f"activities:{name}", args=[pk])).status_code == 404, name
    assert client.post(reverse("activities:activity_withdraw",
                               args=[theirs.pk])).status_code == 404
    page = client.get(reverse("activities:themed_campaign_detail", args=[themed_campaign.pk]))
    assert list(page.context["page"]) == [mine]
    assert "coverage" not in page.context and "淮阳区" not in page.content.decode()


def test_activity_refusals(people, world, themed_campaign):
    liaison, unit = people["liaison"], world["chuanhui"]
    with pytest.raises(DomainError, match="应在专项活动期间"):
        report(liaison, themed_campaign, unit, date=date(2024, 2, 1))
    with pytest.raises(DomainError, match="超过30名志愿者一天的上限"):
        report(liaison, themed_campaign, unit, volunteers=30, volunteer_hours=900)
    with pytest.raises(DomainError, match="请同时填写志愿者人数"):
        report(liaison, themed_campaign, unit, volunteers=0, volunteer_hours=5)
    with pytest.raises(DomainError, match="“活动简介”不能为空"):
        report(liaison, themed_campaign, unit, summary="  ")
    with pytest.raises(DomainError, match="第1行含有控制字符"):
        report(liaison, themed_campaign, unit, place="德化\x07社区")
    other = make_themed_campaign(people["editor"], title="学雷锋志愿服务月", short_name="")
    with pytest.raises(DomainError, match="不属于本专项活动"):
        report(liaison, themed_campaign, unit, content_area=other.areas.first())
    future = make_themed_campaign(people["editor"], title="明年活动", starts_on=date.today(),
                           ends_on=date.today() + timedelta(days=30))
    with pytest.raises(DomainError, match="不能晚于今天"):
        report(liaison, future, unit, date=date.today() + timedelta(days=1),
               content_area=future.areas.first())
    services.set_themed_campaign_status(people["editor"], themed_campaign, ThemedCampaign.Status.CLOSED)
    with pytest.raises(DomainError, match="已结束，不能再报送"):
        report(liaison, themed_campaign, unit)
    with pytest.raises(DomainError, match="不能变更为“已结束”"):
        services.set_themed_campaign_status(people["editor"], themed_campaign, ThemedCampaign.Status.CLOSED)
    assert not Activity.objects.exists()


def test_volunteer_list_gives_counts_and_hours(people, world, themed_campaign):
    activity = report(people["liaison"], themed_campaign, world["chuanhui"], volunteers=0,
                      volunteer_hours=0, roster="张三 2.5\n李四，3小时\n\n王五\t1")
    assert activity.volunteers == 3 and activity.volunteer_hours == Decimal("6.5")
    assert [v.name for v in activity.volunteer_records.all()] == ["张三", "李四", "王五"]
    with pytest.raises(DomainError, match="志愿者名单第2行应为“姓名 时长”"):
        report(people["liaison"], themed_campaign, world["chuanhui"], roster="张三 2\n李四")
    with pytest.raises(DomainError, match="第1行的时长应在0到24小时之间"):
        report(people["liaison"], themed_campaign, world["chuanhui"], roster="张三 30")
    # Editing other fields keeps the counts of the stored list.
    services.update_activity(people["liaison"], activity, participants=80)
    activity.refresh_from_db()
    assert activity.volunteers == 3 and activity.participants == 80


def test_liaison_edits_and_withdraws_while_open(client, people, world, themed_campaign):
    activity = report(people["liaison"], themed_campaign, world["chuanhui"], photos=[upload()])
    client.force_login(people["liaison"])
    form = _form(themed_campaign, world["chuanhui"], title="改后的名称")
    client.post(reverse("activities:activity_edit", args=[activity.pk]), form)
    activity.refresh_from_db()
    assert activity.title == "改后的名称" and activity.unit == world["chuanhui"]
    photo = activity.photos.get()
    client.post(reverse("activities:photo_remove", args=[photo.pk]))
    assert not activity.photos.exists()
    client.post(reverse("activities:activity_withdraw", args=[activity.pk]))
    assert not Activity.objects.exists()
    assert AuditEvent.objects.filter(verb="activity.withdraw").exists()


def test_too_many_photos_are_refused(people, world, themed_campaign):
    with pytest.raises(DomainError, match="每项活动的照片最多9张"):
        report(people["liaison"], themed_campaign, world["chuanhui"],
               photos=[upload(jpeg_bytes((20, 20))) for _ in range(10)])


def test_a_bad_photo_among_good_ones_leaves_no_file_behind(people, world, themed_campaign, settings):
    with pytest.raises(DomainError, match="照片"):
        report(people["liaison"], themed_campaign, world["chuanhui"],
               photos=[upload(), upload(b"not an image", name="坏.jpg")])
    assert not Activity.objects.exists()
    media = settings.MEDIA_ROOT
    assert not [p for p in media.rglob("*") if p.is_file()] if media.exists() else True


def test_themed_campaign_edit_keeps_areas_that_have_reports(people, world, themed_campaign):
    report(people["liaison"], themed_campaign, world["chuanhui"])
    editor = people["editor"]
    names = [a.name for a in themed_campaign.areas.all()]
    with pytest.raises(DomainError, match="“志愿关爱帮扶”下已有活动报送，不能删除"):
        services.update_themed_campaign(editor, themed_campaign, areas=[n for n in names
                                                          if n != "志愿关爱帮扶"])
    with pytest.raises(DomainError, match="不在新的起止日期内"):
        services.update_themed_campaign(editor, themed_campaign, ends_on=date(2024, 1, 5))
    services.update_themed_campaign(editor, themed_campaign, areas=["志愿关爱帮扶", "节日安全宣传"])
    assert [a.name for a in themed_campaign.areas.all()] == ["志愿关爱帮扶", "节日安全宣传"]
    with pytest.raises(PermissionDenied):
        services.update_themed_campaign(people["liaison"], themed_campaign, title="改")


def test_office_creates_a_themed_campaign_through_the_page(client, people, world):
    client.force_login(people["editor"])
    response = client.post(reverse("activities:themed_campaign_new"), {
        "title": "双节期间精神文明建设专项活动", "short_name": "双节",
        "participants_label": "市直文明单位", "starts_on": "2023-12-20",
        "ends_on": "2024-01-10", "areas": "环境卫生清扫\n公共设施排查\n\n城市秩序维护",
        "units": [world["dept"].pk]})
    themed_campaign = ThemedCampaign.objects.get()
    assert response.status_code == 302
    assert [a.name for a in themed_campaign.areas.all()] == ["环境卫生清扫", "公共设施排查", "城市秩序维护"]
    assert list(themed_campaign.units.all()) == [world["dept"]]
    response = client.post(reverse("activities:themed_campaign_new"), {
        "title": "重复方面", "participants_label": "市直文明单位", "starts_on": "2023-12-20",
        "ends_on": "2024-01-10", "areas": "环境卫生清扫\n环境卫生清扫"})
    assert "内容方面“环境卫生清扫”重复" in response.content.decode()
