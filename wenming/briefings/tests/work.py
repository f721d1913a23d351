"""A month of work (January 2024) that the draft sources can tell: a
monthly bulletin, survey answers, a themed campaign's activities and a
published red list. Built with each app's own test factories."""

from datetime import date

from wenming.activities.tests.factories import make_themed_campaign, report
from wenming.core.periods import Period
from wenming.credit.tests.factories import code, legal_row, published_list
from wenming.scoring import services as scoring
from wenming.scoring.tests.factories import ledger_problem, make_site
from wenming.scoring.tests.factories import make_campaign as make_ledger
from wenming.surveys.tests.factories import add_responses, make_questionnaire

JANUARY = (date(2024, 1, 1), date(2024, 1, 31))
BULLETIN_TITLE = "关于2024年1月创建工作情况的通报"
SURVEY_TITLE = "2024年1月全市群众对文明城市创建工作知晓率、支持率、参与率、满意率测评情况"
CAMPAIGN_TITLE = "市直文明单位积极开展双节期间精神文明建设专项活动"
CREDIT_TITLE = "周口市文明办发布2023年度诚信“红黑榜”"


def bulletin_of_january(people, world):
    ledger = make_ledger()
    site = make_site("五一路农贸市场", world["chuanhui"], world["street"])
    ledger_problem(ledger, site, events=[
        ("create", "2024-01-10 09:00", "found", None),
        ("dispatch", "2024-01-10 10:00", "dispatched", {"deadline": "2024-01-13 10:00"}),
        ("submit", "2024-01-12 10:00", "submitted", None),
        ("verify", "2024-01-14 10:00", "closed", None),
    ])
    period = Period.containing("month", date(2024, 1, 15))
    return scoring.generate_bulletin(people["editor"], ledger, period)


def themed_campaign_of_january(people, world):
    themed_campaign = make_themed_campaign(people["editor"], units=[world["chuanhui"]])
    report(people["editor"], themed_campaign, world["chuanhui"], title="德化社区环境大扫除",
           date=date(2024, 1, 6), content_area=themed_campaign.areas.get(name="环境卫生清扫"))
    report(people["editor"], themed_campaign, world["chuanhui"], date=date(2024, 1, 8))
    return themed_campaign


def work_of_january(people, world):
    bulletin = bulletin_of_january(people, world)
    q = make_questionnaire(people["editor"])
    add_responses(q, world["chuanhui"], date(2024, 1, 10), 100, satisfaction=90, awareness=95)
    add_responses(q, world["huaiyang"], date(2024, 1, 11), 30, satisfaction=24,
                  channel="online")
    themed_campaign = themed_campaign_of_january(people, world)
    red = published_list(people, world, [legal_row("周口市鑫源食品有限公司", code(1))],
                         published_on=date(2024, 1, 20))
    return {"bulletin": bulletin, "themed_campaign": themed_campaign, "red": red}
