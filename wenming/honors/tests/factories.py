import time
from datetime import date, timedelta

from wenming.core.public_forms import form_token
from wenming.honors import services
from wenming.honors.models import HonorRoll

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17="41160219850312001"):
    """A resident ID with the right check character."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def make_roll(people, **fields):
    spec = {"year": 2023, "period": HonorRoll.Period.H2, "title": "周口好人榜", "issuer": "周口市文明办",
            "panel": [people["approver"], people["inspector"], people["viewer"]]}
    spec.update(fields)
    return services.create_roll(people["editor"], **spec)


def nominate(actor, roll, **fields):
    spec = {"category": "bravery", "name": "王俊杰", "workplace": "周口市游泳协会副会长",
            "summary": "冬日跳入沙颍河，救起落水群众两人。",
            "deeds": "2023年12月2日，王俊杰在沙颍河边晨练时发现有人落水。\n他立即跳入河中施救。",
            "gender": "male", "id_number": id_number(), "phone": "13903940001"}
    spec.update(fields)
    return services.nominate(actor, roll, **spec)


def vote_all(roll, nomination, vote="agree", score=90):
    for member in roll.panel.all():
        services.record_review(member, nomination, vote=vote, score=score)


def token(purpose, age=60):
    """A form token issued `age` seconds ago."""
    return form_token(purpose, issued_at=time.time() - age)


def through_review(people, roll, nominations, verifier=None):
    for n in nominations:
        services.verify_nomination(verifier or people["liaison"], n, "经核实，事迹属实。")
        vote_all(roll, n)
    return services.conclude_review(people["editor"], roll)


def on_notice(people, roll, starts_on=None, ends_on=None):
    starts_on = starts_on or date.today() - timedelta(days=9)
    return services.start_notice(people["editor"], roll, starts_on=starts_on,
                                 ends_on=ends_on or starts_on + timedelta(days=6))


def published_roll(people, names=("王俊杰",), **roll_fields):
    """A roll through every step with people from 川汇区, published."""
    roll = make_roll(people, **roll_fields)
    nominations = [nominate(people["liaison"], roll, name=name, id_number=id_number(
        f"4116021985031200{i}"), phone=f"1390394000{i}") for i, name in enumerate(names)]
    through_review(people, roll, nominations)
    on_notice(people, roll)
    return services.publish_roll(people["approver"], roll)
