"""Helpers for the importer tests: briefings as render data, and how two
structures are compared."""


def structure_of(data: dict) -> dict:
    """Render data (what render_issue_pdf takes) → the importer's structure."""
    footer = data.get("footer") or {}
    return {
        "series": data["series_title"], "kind": data.get("kind") or "简报",
        "year": data["year"], "number": data["number"], "serial": data.get("serial"),
        "is_supplement": bool(data.get("is_supplement")), "issuer": data["issuer"],
        "date": data["date"], "marking": data.get("marking", ""), "note": data.get("note", ""),
        "columns": [{"name": c["name"], "articles": [
            {"title": a["title"], "paragraphs": a["paragraphs"], "lead_in": bool(a.get("lead_in"))}
            for a in c["articles"]]} for c in data["columns"]],
        "footer": {"report_to": footer.get("report_to", ""), "copy_to": footer.get("copy_to", ""),
                   "issue_to": footer.get("issue_to", ""), "print_run": footer.get("print_run")},
    }


def comparable(structure: dict) -> dict:
    """The structure without what the importer adds beyond the fixed shape."""
    keep = ("series", "kind", "year", "number", "serial", "is_supplement", "issuer", "date",
            "marking", "note", "footer")
    out = {k: structure[k] for k in keep}
    out["columns"] = [{"name": c["name"], "articles": [
        {"title": a["title"], "paragraphs": a["paragraphs"], "lead_in": a["lead_in"]}
        for a in c["articles"]]} for c in structure["columns"]]
    return out


COUNTY = {
    "series_title": "淮阳文明创建", "kind": "工作简报", "year": 2023, "number": 12, "serial": 148,
    "is_supplement": False, "issuer": "淮阳区文明办", "date": "2023-12-29", "marking": "内部资料",
    "note": "本期集中刊发各乡镇（街道）年终创建工作情况，请各单位对照学习，查找差距。\n"
            "各单位要结合实际，抓好整改落实，确保APP平台数据按时上报。",
    "columns": [
        {"name": "要闻", "articles": [
            {"title": "区委常委会专题研究部署2024年全国文明城市创建工作暨新时代文明实践中心建设",
             "paragraphs": [
                 "12月25日，区委常委会召开会议，专题研究部署2024年全国文明城市创建工作。会议听取了"
                 "区文明办关于2023年创建工作情况的汇报，审议通过了《淮阳区2024年创建全国文明城市工作要点》。",
                 "会议要求：",
                 "一是提高政治站位，把创建工作摆在更加突出的位置；",
                 "二是聚焦短板弱项，对照《全国文明城市测评体系（2023年版）》逐项整改；",
                 "三是压实工作责任，做到人员、经费、措施“三到位”。",
                 "会议强调，各乡镇（街道）党（工）委书记是创建工作第一责任人，要亲自研究、亲自部署、"
                 "亲自督导，确保各项任务落地见效。"]},
            {"title": "我区召开志愿服务工作推进会", "paragraphs": [
                "12月27日，我区召开志愿服务工作推进会，总结2023年志愿服务工作，表彰“最美志愿者”20名、"
                "“优秀志愿服务项目”10个，并对2024年工作作出安排。全区注册志愿者已达12.6万人，占常住人口的18.3%。"]},
        ]},
        {"name": "基层动态", "articles": [
            {"title": "城关镇：“五星”支部引领 文明新风入户", "paragraphs": [
                "城关镇以“五星”支部创建为抓手，把文明创建融入基层治理，推动移风易俗、垃圾分类、"
                "文明交通等工作入户到人。",
                "今年以来，全镇共评选“文明家庭”326户、“好婆婆”“好媳妇”189名，开展“红白理事会”"
                "规范提升行动，为群众节省开支200余万元。"]},
            {"title": "白楼镇开展“小手拉大手”文明实践活动", "paragraphs": [
                "白楼镇组织辖区12所中小学开展“小手拉大手 共创文明城”活动，学生们通过绘画、书信等形式"
                "向家长宣传文明知识，带动3000余个家庭参与。"]},
        ]},
        {"name": "简讯", "articles": [
            {"title": "区文明办开展背街小巷专项督查", "lead_in": True, "paragraphs": [
                "12月20日至22日，区文明办联合区城管局对城区42条背街小巷进行专项督查，发现问题87个，"
                "已全部交办相关单位限期整改。"]},
            {"title": "淮阳区3人荣登“中国好人榜”", "lead_in": True, "paragraphs": [
                "近日，中央文明办发布2023年第四季度“中国好人榜”，我区王某某、李某某、张某某3人上榜。",
                "至此，我区累计已有15人荣登“中国好人榜”。"]},
            {"title": "区图书馆开展“我们的节日·元旦”主题阅读活动，吸引了上百名市民参加活动并获得一致好评",
             "lead_in": True, "paragraphs": ["活动设置了猜灯谜、写春联等环节。"]},
        ]},
        {"name": "经验交流", "articles": [
            {"title": "以“绣花功夫”推进老旧小区改造", "paragraphs": [
                "近年来，我区坚持把老旧小区改造作为重要民生工程，累计投入资金3.2亿元，改造小区86个，"
                "惠及居民1.2万户。主要做法是：",
                "坚持规划先行。邀请专业团队逐个小区制定“一区一策”改造方案，做到先规划后施工。",
                "坚持群众参与。通过“居民议事会”等形式广泛征求意见，共收集意见建议1600余条。"]},
        ]},
    ],
    "footer": {"report_to": "市文明办，区委、区人大、区政府、区政协领导",
               "copy_to": "区文明委各成员单位，各乡镇（街道）党（工）委、办事处，区直各单位，区直各文明单位，"
                       "各中小学校，各社区（村）",
               "issue_to": "", "print_run": 80},
}

SUPPLEMENT = {
    "series_title": "周口精神文明建设", "kind": "简报", "year": 2024, "number": 2, "serial": None,
    "is_supplement": True, "issuer": "周口市文明办", "date": "2024-03-05", "marking": "",
    "note": "",
    "columns": [{"name": "学雷锋志愿服务月", "articles": [
        {"title": "全市启动2024年学雷锋志愿服务月活动", "paragraphs": [
            "3月5日，全市学雷锋志愿服务月活动在市文化广场启动。",
            "启动仪式上，市领导为10支志愿服务队授旗。"]},
    ]}],
    "footer": {"report_to": "", "copy_to": "", "issue_to": "", "print_run": None},
}
