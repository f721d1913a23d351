"""Demo red/black lists: 周口市's 2023 lists as departments would report
them — a few markets and dozens of enterprises, all fictional, with valid
credit codes of 周口 region codes — uploaded from filled-in templates,
reviewed, put on notice and published on 29 December 2023; a few credit
restorations; a 2024 black list still collecting. Loading twice changes
nothing."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from wenming.accounts.models import Unit, User
from wenming.core.uscc import ALPHABET, make_uscc
from wenming.credit import imports, services
from wenming.credit.models import CreditList, Listing, Report, Restoration

REGIONS = ["411602", "411603", "411621", "411622", "411623", "411624", "411625", "411627",
           "411628", "411681"]
TRADES = ["鑫源", "华泰", "隆盛", "恒兴", "昌丰", "瑞祥", "福顺", "宏达", "润嘉", "永安", "康德",
          "诚信", "佳美", "天中", "远大", "博豪", "凯旺", "鼎辉", "明亮", "宝聚", "益汇", "合创",
          "龙腾", "飞翔", "春阳", "海川", "林森", "晶华", "金穗", "豫东", "伏羲", "三川", "沙颍",
          "陈州", "龙湖", "莲花", "太昊", "老子", "宛丘", "新华", "正泰", "百盛", "兴业", "荣达",
          "中原", "惠民", "丰收", "嘉禾", "万顺", "同心"]
INDUSTRIES = ["食品", "商贸", "建筑工程", "农业科技", "医药", "物流", "面粉", "粮油", "服装",
              "建材", "家具", "电子科技", "纺织", "机械制造", "印刷", "酒业", "饲料", "钢结构"]
FORMS = ["有限公司", "有限公司", "有限责任公司", "股份有限公司"]
LEGAL_REPS = ["张建国", "王秀英", "李志强", "刘丽", "陈伟", "杨军", "赵敏", "黄磊", "周杰", "吴芳"]
MARKETS = [("七一路农贸市场", "411602"), ("交通路农贸市场", "411602"),
           ("淮阳区柳湖农贸市场", "411603"), ("项城市花园农贸市场", "411681")]
TAX, MARKET, COURT, SAFETY = "市税务局", "市市场监督管理局", "市法院", "市应急管理局"

# (department, basis label, document number pattern, how many)
RED_2023 = [(TAX, "纳税信用A级", "周税认〔2023〕{n}号", 12),
            (MARKET, "守合同重信用", "周市监信〔2023〕{n}号", 10),
            (MARKET, "产品质量诚信", "周市监质〔2023〕{n}号", 8)]
BLACK_2023 = [(TAX, "重大税收违法失信", "周税稽罚〔2023〕{n}号", 5),
              (MARKET, "市场监管行政处罚", "周市监罚〔2023〕{n}号", 6),
              (MARKET, "产品质量违法", "周市监质罚〔2023〕{n}号", 3),
              (MARKET, "食品药品安全违法", "周市监食罚〔2023〕{n}号", 2),
              (COURT, "失信被执行人", "（2023）豫16执{n}号", 3),
              (SAFETY, "安全生产失信", "周应急罚〔2023〕{n}号", 2)]
DETAILS = {
    "纳税信用A级": "2021—2023年度连续被评为纳税信用A级",
    "守合同重信用": "连续两年公示“守合同重信用”企业",
    "产品质量诚信": "产品监督抽查连续三年合格，无质量投诉",
    "诚信示范市场": "市场管理规范，商户明码标价、诚信经营",
    "重大税收违法失信": "虚开增值税专用发票，已作出行政处罚",
    "市场监管行政处罚": "发布虚假广告，受到较重行政处罚",
    "产品质量违法": "生产销售不合格产品",
    "食品药品安全违法": "经营超过保质期食品",
    "失信被执行人": "有履行能力而拒不履行生效法律文书确定的义务",
    "安全生产失信": "发生一般生产安全事故，负有责任",
}
PUBLISHED_ON = date(2023, 12, 29)


def _code(n):
    digits = ""
    value = 7919 * n + 104729
    for _ in range(6):
        value, r = divmod(value, 31)
        digits += ALPHABET[r]
    return make_uscc("9", "1", REGIONS[n % len(REGIONS)], "MA" + digits)


def _firm(n):
    return (f"周口{TRADES[n % len(TRADES)]}{INDUSTRIES[(n * 7) % len(INDUSTRIES)]}"
            f"{FORMS[n % len(FORMS)]}")


def _sheet(credit_list, rows):
    """Fill the list's own template, as a department would."""
    wb = load_workbook(io.BytesIO(imports.template_xlsx(credit_list)))
    ws = wb["名单"]
    # Under the header on row 3, where a person would type (the template's
    # pre-formatted rows make ws.append() land below them).
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(f"{credit_list.year}年{credit_list.kind_label}报送表.xlsx",
                              buf.getvalue())


def _row(name, code, basis, document, kind="企业", n=0, decided=date(2023, 11, 20)):
    return [name, code, kind, LEGAL_REPS[n % len(LEGAL_REPS)], "", "", basis,
            DETAILS.get(basis, ""), document, decided.isoformat(), "", ""]


def _department(name):
    city = Unit.objects.get(name="周口市", parent__isnull=True)
    return Unit.objects.get(parent=city, name=name)


def _upload_groups(editor, credit_list, groups, start, extra=None):
    """Upload each department's rows; returns the next firm number."""
    by_department = {}
    n = start
    for department, basis, document, count in groups:
        for i in range(count):
            by_department.setdefault(department, []).append(
                _row(_firm(n), _code(n), basis, document.format(n=i + 1), n=n))
            n += 1
    for department, rows in (extra or {}).items():
        by_department.setdefault(department, []).extend(rows)
    for department, rows in by_department.items():
        services.upload_listings(editor, credit_list, _department(department),
                                 _sheet(credit_list, rows))
    return n


def _publish(editor, approver, credit_list):
    services.submit_for_review(editor, credit_list)
    services.start_notice(editor, credit_list, days=7, today=date(2023, 12, 15))
    return services.publish_list(approver, credit_list, today=PUBLISHED_ON)


def load(stdout=None):
    editor = User.objects.get(username="editor")
    approver = User.objects.get(username="approver")
    market_liaison = User.objects.get(username="shijianju")

    red = CreditList.objects.filter(year=2023, color="red", subject="legal").first()
    if red is None:
        red = services.create_list(editor, year=2023, color="red")
        markets = [_row(name, make_uscc("9", "1", region, f"MK{i:06d}"), "诚信示范市场",
                        f"周市监信〔2023〕{20 + i}号", kind="市场", n=i)
                   for i, (name, region) in enumerate(MARKETS)]
        _upload_groups(editor, red, RED_2023, start=0, extra={MARKET: markets})
        red = _publish(editor, approver, red)
        if stdout:
            stdout.write(f"  {red.title}：{red.snapshot['summary']}")

    black = CreditList.objects.filter(year=2023, color="black", subject="legal").first()
    if black is None:
        black = services.create_list(editor, year=2023, color="black")
        _upload_groups(editor, black, BLACK_2023, start=100)
        black = _publish(editor, approver, black)
        if stdout:
            stdout.write(f"  {black.title}：{black.snapshot['summary']}")

    if not Restoration.objects.exists():
        penalties = list(Listing.objects.filter(credit_list=black, basis="market_penalty")
                         .order_by("seq"))
        approved = services.apply_restoration(
            market_liaison, penalties[0], applicant=penalties[0].entity.name,
            reason="已全部履行行政处罚决定，删除虚假广告并完成整改，承诺今后依法诚信经营。",
            evidence_note="罚没款缴款书、整改报告、信用承诺书", applied_on=date(2024, 7, 2))
        services.decide_restoration(market_liaison, approved, approve=True,
                                    note="经核查，已履行处罚决定并完成整改，准予信用修复。",
                                    today=date(2024, 7, 15))
        rejected = services.apply_restoration(
            market_liaison, penalties[1], applicant=penalties[1].entity.name,
            reason="申请信用修复。", applied_on=date(2024, 7, 5))
        services.decide_restoration(market_liaison, rejected, approve=False,
                                    note="罚款尚未缴清，不予修复，缴清后可重新申请。",
                                    today=date(2024, 7, 18))
        food = Listing.objects.filter(credit_list=black, basis="food_drug").order_by("seq").first()
        services.apply_restoration(
            market_liaison, food, applicant=food.entity.name,
            reason="已下架并销毁过期食品，建立进货查验制度。", evidence_note="整改报告、培训记录",
            applied_on=date(2025, 1, 6))

    if not CreditList.objects.filter(year=2024, color="black", subject="legal").exists():
        pending = services.create_list(editor, year=2024, color="black")
        rows = [_row(_firm(n), _code(n), "市场监管行政处罚", f"周市监罚〔2024〕{n - 199}号", n=n,
                     decided=date(2024, 10, 8)) for n in range(200, 204)]
        services.upload_listings(editor, pending, _department(MARKET), _sheet(pending, rows))

    if not Report.objects.exists():
        entity = Listing.objects.filter(credit_list=red).order_by("seq").last().entity
        services.issue_report(editor, entity, purpose="评先评优")
    return red
