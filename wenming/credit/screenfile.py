"""Screening files: reading the rows to screen from .xlsx/.csv and writing
the results as .xlsx (core.excel writes text cells formula-safe)."""

from wenming.core.excel import cell_text, workbook_bytes
from wenming.credit.screening import masked_input
from wenming.credit.sheets import read_table

SCREEN_FIELDS = {
    "name": ["名称", "主体名称", "企业名称", "单位名称", "市场主体名称", "姓名", "当事人名称"],
    "code": ["统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "注册号", "工商注册号",
             "身份证号码", "证件号码", "代码"],
}
MAX_FILE_ROWS = 200_000
METHODS = {"code": "代码", "name": "名称", "fuzzy": "相似名称"}


def read_screen_rows(content, filename, max_rows=MAX_FILE_ROWS, progress=None):
    """[(row number in the file, {"name", "code"})]"""
    table = read_table(content, filename, SCREEN_FIELDS, {"name"}, max_rows=max_rows,
                       progress=progress.rows() if progress else None)
    return [(number, {"name": cell_text(values.get("name")), "code": cell_text(values.get("code"))})
            for number, values in table.rows]


def verdict(matches, threshold=95):
    if not matches:
        return "未命中"
    return "命中" if matches[0]["score"] >= threshold else "疑似"


def results_xlsx(numbered_rows, results):
    headers = ["行号", "输入名称", "输入代码", "代码校验", "结果", "匹配主体",
               "统一社会信用代码/证件号码", "匹配分", "匹配方式", "匹配理由", "名单", "列入事由",
               "认定部门", "认定日期", "有效期至"]
    out = []
    counts = {"命中": 0, "疑似": 0, "未命中": 0}
    invalid_codes = 0
    for (number, row), result in zip(numbered_rows, results, strict=True):
        matches = result["matches"]
        row = dict(row, code=masked_input(row["code"]))
        result_label = verdict(matches)
        counts[result_label] += 1
        invalid_codes += result["code_valid"] is False
        given = [number, row["name"], row["code"], result["code_check"], result_label]
        if not matches:
            out.append(given + [""] * 10)
            continue
        for m in matches:
            for listing in m["listings"]:
                out.append(given + [
                    m["entity"], m["code"], m["score"], METHODS.get(m["method"], m["method"]),
                    m["reason"], f"{listing['kind']}（{listing['year']}年度）",
                    listing["basis"], listing["department"], listing["decided_on"],
                    listing["valid_until"] or ""])
    summary = [[label, n] for label, n in counts.items()] + [["代码校验未通过", invalid_codes]]
    return workbook_bytes([
        ("筛查结果", headers, out, [6, 30, 22, 30, 8, 30, 22, 8, 10, 40, 24, 18, 18, 12, 12]),
        ("汇总", ["结果", "行数"], summary, [10, 10]),
    ]), counts
