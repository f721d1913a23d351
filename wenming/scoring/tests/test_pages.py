"""The rankings and rules pages, bulletins (PDF, DOCX) and
the dashboard with its Excel export, through real requests."""

import io

from docx import Document
from openpyxl import load_workbook

from wenming.scoring.models import Bulletin, ScoringRule

JAN = "?kind=month&day=2024-01-15"


def test_liaison_sees_the_january_ranking_with_movement_and_call_ins(client, people, ledger):
    client.force_login(people["liaison"])
    html = client.get("/scoring/" + JAN).content.decode()
    assert "2024年1月" in html and "末位约谈" in html and "本页数据截至2024年1月31日" in html
    # Nothing scored in December: no arrows, the reason on hover.
    assert "87.50" in html and 'title="上期未参评">—<' in html and "<svg" in html
    html = client.get("/scoring/?kind=month&day=2024-02-15").content.decode()
    assert "↑3" in html and "↓1" in html


def test_units_see_the_rules_and_only_admin_publishes_a_version(client, people, ledger):
    client.force_login(people["liaison"])
    html = client.get("/scoring/rules/").content.decode()
    assert "按2倍扣分" in html.replace(".00", "") and "发布新版本" not in html
    client.force_login(people["admin"])
    form = {"effective_from": "2024-02-01", "base": "100", "immediate": "1", "normal": "3",
            "serious": "5", "per_overdue_day": "0.5", "repeat_factor": "2",
            "per_rejection": "1", "restore_share": "0.5", "floor": "0", "ceiling": "100",
            "district_mode": "sites", "list_size": "3", "note": "一般问题加重扣分"}
    assert client.post("/scoring/rules/", form).status_code == 302
    assert ScoringRule.objects.get().normal == 3
    form["restore_share"] = "1.5"
    response = client.post("/scoring/rules/", form)
    assert "应在0至1之间" in response.content.decode()
    assert ScoringRule.objects.count() == 1


def test_monthly_bulletin_renders_as_pdf_and_docx(client, people, ledger):
    client.force_login(people["editor"])
    response = client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and bulletin.number == 1
    c = bulletin.content
    assert c["summary"]["found"] == 5 and c["summary"]["overdue"] == 1
    assert c["overdue"][0]["site"] == "五一路农贸市场" and c["typical"][0]["repeat"]
    page = client.get(f"/scoring/bulletins/{bulletin.pk}/").content.decode()
    assert "第1期" in page and "陈州回族街道" in page

    pdf = client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(f"/scoring/bulletins/{bulletin.pk}/file.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "创建工作通报" in text and "第1期" in text and "拟约谈" in text




def test_dashboard_and_its_excel_export(client, people, ledger):
    client.force_login(people["viewer"])
    html = client.get("/scoring/dashboard/" + JAN + "&screen=big").content.decode()
    assert "big-screen" in html and html.count("<svg") >= 4 and "销号率" in html
    xlsx = client.get("/scoring/dashboard.xlsx" + JAN)
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["概况"]["B2"].value == 5
    assert [c.value for c in book["单位排名"][5]][:3] == [4, "陈州回族街道", 87.5]


def test_liaison_cannot_open_the_dashboard_or_bulletins(client, people, ledger):
    client.force_login(people["liaison"])
    assert client.get("/scoring/dashboard/").status_code == 403
    assert client.get("/scoring/bulletins/").status_code == 403
