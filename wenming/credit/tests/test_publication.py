"""The path to publication: review → public notice (objections) →
publication, frozen and numbered, as HTML, PDF and Excel."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from wenming.accounts.tests.factories import make_unit
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.core.testing import pdf_text, squash
from wenming.credit import services
from wenming.credit.models import CreditList, Listing, Objection
from wenming.credit.tests.factories import code, legal_row, make_list, publish, upload


@pytest.fixture
def red(people, world):
    credit_list = make_list(people["editor"])
    upload(people["editor"], credit_list, world["dept"], [
        legal_row("周口市鑫源食品有限公司", code(1)),
        legal_row("七一路农贸市场", code(2), "诚信示范市场", kind="市场"),
        legal_row("华泰商贸有限公司", code(3), "守合同重信用"),
    ])
    return credit_list


def test_create_list_with_default_title_and_once_per_kind(people):
    credit_list = make_list(people["editor"], year=2023, color="black")
    assert credit_list.title == "周口市2023年度诚信建设法人黑名单"
    with pytest.raises(DomainError) as e:
        make_list(people["editor"], year=2023, color="black")
    assert "2023年度法人黑名单已存在" in e.value.message
    with pytest.raises(PermissionDenied):
        make_list(people["liaison"], year=2024)


def test_empty_list_cannot_go_to_review(people):
    credit_list = make_list(people["editor"])
    with pytest.raises(DomainError) as e:
        services.submit_for_review(people["editor"], credit_list)
    assert "还没有任何列入记录" in e.value.message


def test_review_notice_publish(people, red, settings):
    settings.WENMING_CREDIT_NUMBER_PREFIX = "周文明信"
    editor, approver = people["editor"], people["approver"]
    services.submit_for_review(editor, red)
    today = date(2023, 12, 20)
    services.start_notice(editor, red, days=7, today=today)
    red.refresh_from_db()
    assert (red.status, red.notice_start, red.notice_end) == (CreditList.Status.NOTICE, today, date(2023, 12, 26))
    with pytest.raises(DomainError) as e:
        services.publish_list(approver, red, today=date(2023, 12, 26))
    assert "公示期至2023年12月26日，尚未届满" in e.value.message
    with pytest.raises(PermissionDenied):
        services.publish_list(editor, red, today=date(2023, 12, 29))
    published = services.publish_list(approver, red, today=date(2023, 12, 29))
    assert published.status == CreditList.Status.PUBLISHED
    assert published.number == "周文明信〔2023〕1号" and published.published_on == date(2023, 12, 29)
    # Markets come first, as in the office's announcement.
    rows = published.snapshot["rows"]
    assert [(r["seq"], r["name"]) for r in rows] == [
        (1, "七一路农贸市场"), (2, "华泰商贸有限公司"), (3, "周口市鑫源食品有限公司")]
    assert published.snapshot["summary"] == "2023年度，1 个市场、2 家企业被列入法人红名单。"
    assert list(Listing.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"credit_list.submit_for_review", "credit_list.start_notice",
            "credit_list.publish"} <= verbs


def test_illegal_transitions_are_refused_in_chinese(people, red):
    with pytest.raises(DomainError) as e:
        services.start_notice(people["editor"], red, days=7)
    assert "当前状态为“报送中”，不能变更为“公示中”" in e.value.message
    with pytest.raises(DomainError):
        services.publish_list(people["approver"], red)
    services.submit_for_review(people["editor"], red)
    with pytest.raises(DomainError) as e:
        services.start_notice(people["editor"], red, days=0)
    assert "公示期应为1至60天" in e.value.message


def test_return_for_revision_reopens_uploads(people, world, red):
    services.submit_for_review(people["editor"], red)
    services.return_for_revision(people["editor"], red, "请补充文书号")
    red.refresh_from_db()
    assert red.status == CreditList.Status.COLLECTING and red.review_comment == "请补充文书号"
    upload(people["editor"], red, world["dept"], [legal_row("恒兴物流有限公司", code(4))])


def test_objection_upheld_withdraws_the_listing(people, red):
    editor = people["editor"]
    services.submit_for_review(editor, red)
    services.start_notice(editor, red, days=5, today=date.today() - timedelta(days=10))
    listing = Listing.objects.get(entity__code=code(3))
    objection = services.record_objection(
        editor, listing, objector="华泰商贸有限公司", contact="13900139000",
        content="我公司2023年有一起合同纠纷尚未了结，不符合守合同重信用条件。")
    with pytest.raises(DomainError) as e:
        services.publish_list(people["approver"], red)
    assert "还有1件异议未处理" in e.value.message
    services.resolve_objection(editor, objection, upheld=True, resolution="经核实情况属实")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.WITHDRAWN
    assert listing.withdrawn_reason == "异议成立：经核实情况属实"
    published = services.publish_list(people["approver"], red)
    assert [r["name"] for r in published.snapshot["rows"]] == ["七一路农贸市场",
                                                               "周口市鑫源食品有限公司"]
    assert Objection.objects.get().status == Objection.Status.UPHELD
    # The withdrawn entity was never public, and a public search does not say otherwise.
    from django.test import Client

    page = Client().get(reverse("credit:lookup"), {"q": "华泰商贸"}).content.decode()
    assert "没有与“华泰商贸”相符的主体" in page


def test_rejected_objection_keeps_the_listing(people, red):
    services.submit_for_review(people["editor"], red)
    listing = Listing.objects.get(entity__code=code(1))
    objection = services.record_objection(people["editor"], listing, objector="张某",
                                          content="该企业曾被投诉。")
    services.resolve_objection(people["editor"], objection, upheld=False,
                               resolution="投诉已查处结案，不影响列入。")
    listing.refresh_from_db()
    assert listing.status == Listing.Status.ACTIVE
    with pytest.raises(DomainError):
        services.resolve_objection(people["editor"], objection, upheld=True, resolution="再议")


def test_published_list_is_frozen(people, world, red):
    publish(people, red)
    with pytest.raises(DomainError):
        upload(people["editor"], red, world["dept"], [legal_row("恒兴物流有限公司", code(4))])
    with pytest.raises(DomainError) as e:
        services.withdraw_listing(people["editor"], Listing.objects.first(), "错了")
    assert "名单已发布，不能撤回" in e.value.message
    with pytest.raises(DomainError):
        services.return_for_revision(people["editor"], red)


def test_publication_files(client, people, red):
    published = publish(people, red)
    client.logout()
    pdf = client.get(reverse("credit:public_list_file", args=[published.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = squash(pdf_text(pdf.content))
    for piece in ["周口市文明办", published.number, "周口市2023年度诚信建设法人红名单",
                  "1个市场、2家企业被列入法人红名单", "七一路农贸市场", code(2), "诚信示范市场"]:
        assert squash(piece) in text, piece
    xlsx = client.get(reverse("credit:public_list_file", args=[published.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in ws[1]][:3] == ["序号", "名称", "统一社会信用代码"]
    assert [c.value for c in ws[2]][:3] == [1, "七一路农贸市场", code(2)]


def test_public_page_shows_frozen_rows_and_counts_like_the_seed(client, people, world):
    # The seed: 4 个市场、152 家企业被列入法人红名单，110 家企业被列入法人黑名单.
    red = make_list(people["editor"])
    markets = [legal_row(f"{n}农贸市场", code(100 + i), "诚信示范市场", kind="市场")
               for i, n in enumerate(["七一路", "交通路", "荷花路", "文昌"])]
    firms = [legal_row(f"红{i}号商贸有限公司", code(200 + i)) for i in range(6)]
    upload(people["editor"], red, world["dept"], markets + firms)
    publish(people, red, published_on=date(2023, 12, 29))
    black = make_list(people["editor"], color="black")
    tax = make_unit("市税务局", world["dept"].kind, world["city"])
    upload(people["editor"], black, tax, [
        legal_row(f"黑{i}号建材有限公司", code(300 + i), "重大税收违法失信") for i in range(5)])
    publish(people, black, published_on=date(2023, 12, 29))
    page = client.get(reverse("credit:public_index")).content.decode()
    assert "4 个市场、6 家企业被列入法人红名单，5 家企业被列入法人黑名单。" in page
    page = client.get(reverse("credit:public_list", args=[red.pk])).content.decode()
    assert "文明信〔2023〕1号" in page and "七一路农贸市场" in page
    # Renaming the entity later does not change the published list.
    services.update_entity(people["editor"], Listing.objects.get(seq=1, credit_list=red).entity,
                           name="七一路综合市场")
    page = client.get(reverse("credit:public_list", args=[red.pk])).content.decode()
    assert "七一路农贸市场" in page and "七一路综合市场" not in page


def test_unpublished_lists_are_not_public(client, people, red):
    assert client.get(reverse("credit:public_list", args=[red.pk])).status_code == 404
    assert client.get(reverse("credit:public_list_file", args=[red.pk, "pdf"])).status_code == 404


def test_staff_pages_through_the_workflow(client, people, red):
    client.force_login(people["editor"])
    detail = reverse("credit:list_detail", args=[red.pk])
    assert "下载报送模板" in client.get(detail).content.decode()
    client.post(reverse("credit:list_transition", args=[red.pk, "submit"]))
    client.post(reverse("credit:list_transition", args=[red.pk, "notice"]), {"days": "7"})
    red.refresh_from_db()
    assert red.status == CreditList.Status.NOTICE
    page = client.get(detail).content.decode()
    assert "发布前还需" in page and "尚未届满" in page
    client.force_login(people["approver"])
    response = client.post(reverse("credit:list_transition", args=[red.pk, "publish"]),
                           follow=True)
    assert "不能发布" in response.content.decode()
    CreditList.objects.filter(pk=red.pk).update(notice_end=date.today() - timedelta(days=1))
    response = client.post(reverse("credit:list_transition", args=[red.pk, "publish"]),
                           follow=True)
    assert "已发布。" in response.content.decode()
    red.refresh_from_db()
    assert red.status == CreditList.Status.PUBLISHED and red.pdf and red.xlsx


def test_evidence_is_attached_before_publication(client, people, red):
    from django.core.files.uploadedfile import SimpleUploadedFile

    listing = Listing.objects.get(entity__code=code(1))
    client.force_login(people["editor"])
    response = client.post(reverse("credit:listing_action", args=[listing.pk, "evidence"]),
                           {"attachment": SimpleUploadedFile("认定决定书.pdf", b"%PDF-1.4")},
                           follow=True)
    assert "证明材料已上传" in response.content.decode()
    download = client.get(reverse("credit:listing_evidence", args=[listing.pk]))
    assert download.status_code == 200 and b"".join(download) == b"%PDF-1.4"
    publish(people, red)
    with pytest.raises(DomainError):
        services.attach_evidence(people["editor"], listing,
                                 SimpleUploadedFile("补充.pdf", b"%PDF-1.4"))


def test_exports_defuse_formula_text(client, people, world):
    from wenming.credit.tests.factories import as_file, csv_bytes

    credit_list = make_list(people["editor"], year=2024)
    # In a CSV nothing is a formula: these arrive as text and stay text …
    content = csv_bytes([legal_row("=HYPERLINK(\"http://x\")公司", code(7), detail="+1 加分"),
                         legal_row("@鑫源食品有限公司", code(8), detail="-2 扣分")])
    services.upload_listings(people["editor"], credit_list, world["dept"],
                             as_file(content, "名单.csv"))
    published = publish(people, credit_list)
    # … and every export makes sure no spreadsheet runs them.
    xlsx = client.get(reverse("credit:public_list_file", args=[published.pk, "xlsx"]))
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    values = {c.value for c in cells}
    assert "'=HYPERLINK(\"http://x\")公司" in values and "'@鑫源食品有限公司" in values
    assert "'+1 加分" in values and "'-2 扣分" in values
