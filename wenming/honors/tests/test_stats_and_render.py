"""Statistics per area and category, and the roll's PDF."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from wenming.core.testing import assert_in_order, pdf_text, squash
from wenming.honors import services
from wenming.honors.models import HonorEntry
from wenming.honors.render import render_roll_pdf
from wenming.honors.tests.factories import (
    make_roll,
    nominate,
    on_notice,
    published_roll,
    through_review,
)


def test_statistics_per_area_and_category(client, people, world):
    roll = published_roll(people, names=("王俊杰", "张学寨"))
    other = make_roll(people, year=2024, period="h1")
    n = nominate(people["other_liaison"], other, name="卢树苹", category="filial_love",
                 id_number="", workplace="淮阳区柳湖街道居民")
    through_review(people, other, [n], verifier=people["other_liaison"])
    on_notice(people, other)
    services.publish_roll(people["approver"], other)
    n.refresh_from_db()
    services.record_higher_honor(people["editor"], n, level="provincial",
                                 title="2024年上半年“河南好人榜”", category="filial_love",
                                 announced_on=date(2024, 6, 28))
    # A correction replaces its original in the count.
    copy = services.create_correction(people["editor"], roll, "删去重复人物。")
    services.remove_entry(people["editor"], copy.entries.get(name="张学寨"))
    services.publish_roll(people["approver"], copy)

    client.force_login(people["viewer"])
    page = client.get(reverse("honors:stats"))
    rows = {r.area.name: r for r in page.context["stats"]["rows"]}
    assert list(rows) == ["周口市", "川汇区", "淮阳区"]
    assert rows["川汇区"].counts == [0, 1, 0, 0, 0] and rows["川汇区"].higher == 0
    assert rows["淮阳区"].counts == [0, 0, 0, 0, 1] and rows["淮阳区"].higher == 1
    assert page.context["stats"]["totals"].total == 2
    page_2024 = client.get(reverse("honors:stats") + "?year=2024")
    assert page_2024.context["stats"]["totals"].total == 1

    sheet = load_workbook(io.BytesIO(client.get(reverse("honors:stats_xlsx")).content)).active
    rows = list(sheet.values)
    assert rows[0] == ("地区", "助人为乐", "见义勇为", "诚实守信", "敬业奉献", "孝老爱亲", "合计",
                       "入选上级榜单")
    assert rows[-1] == ("合计", 0, 1, 0, 0, 1, 2, 1)


def test_the_pdf_groups_people_by_category_in_order(people):
    roll = make_roll(people)
    people_spec = [("卢树苹", "filial_love"), ("王俊杰", "bravery"), ("刘好人", "helping_others")]
    nominations = [nominate(people["liaison"], roll, name=name, category=category,
                            id_number="", summary=f"{name}的事迹。")
                   for name, category in people_spec]
    through_review(people, roll, nominations)
    on_notice(people, roll)
    roll = services.publish_roll(people["approver"], roll)
    assert list(roll.entries.values_list("name", flat=True)) == ["刘好人", "王俊杰", "卢树苹"]
    with roll.pdf.open("rb") as f:
        text = squash(pdf_text(f.read()))
    assert_in_order(text, ["周口好人榜", "（2023年下半年）", "周口市文明办", "共有3人上榜",
                           "助人为乐类（1人）", "刘好人", "刘好人的事迹。", "见义勇为类（1人）",
                           "王俊杰", "孝老爱亲类（1人）", "卢树苹"])


def test_user_text_is_printed_not_run_by_typst(people):
    roll = published_roll(people)
    entry = HonorEntry.objects.get(roll=roll)
    copy = services.create_correction(people["editor"], roll, '#read("/etc/passwd")')
    services.update_entry(people["editor"], copy.entries.get(),
                          summary='#read("/etc/passwd") $x^2$ *粗体* <lbl> @ref')
    text = pdf_text(render_roll_pdf(copy))
    assert '#read("/etc/passwd")' in text and "root:" not in text
    assert "*粗体*" in text and "<lbl>" in text and "@ref" in text
    assert entry.summary in pdf_text(render_roll_pdf(roll))
