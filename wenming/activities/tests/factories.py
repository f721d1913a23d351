import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from wenming.activities import services

AREAS = ["环境卫生清扫", "公共设施排查", "城市秩序维护", "群众文化艺术", "文明乡风培育",
         "志愿关爱帮扶", "文明交通劝导", "移风易俗宣传", "安全知识普及", "全民阅读推广"]


def make_themed_campaign(editor, units=(), **fields):
    spec = {"title": "双节期间精神文明建设专项活动", "short_name": "双节",
            "starts_on": date(2023, 12, 20), "ends_on": date(2024, 1, 10),
            "areas": AREAS, "units": list(units)}
    spec.update(fields)
    return services.create_themed_campaign(editor, **spec)


def report(actor, themed_campaign, unit, **fields):
    spec = {"unit": unit, "title": "冬季送关爱 走访暖人心", "date": date(2024, 1, 8),
            "place": "德化社区", "content_area": themed_campaign.areas.get(name="志愿关爱帮扶"),
            "participants": 50, "volunteers": 40, "volunteer_hours": 120,
            "beneficiaries": 180, "summary": "志愿者与社区群众座谈，宣传冬季取暖安全常识。"}
    spec.update(fields)
    return services.report_activity(actor, themed_campaign, **spec)


def jpeg_bytes(size=(320, 240), colour=(200, 30, 30), exif=None):
    image = Image.new("RGB", size, colour)
    buf = io.BytesIO()
    if exif is not None:
        image.save(buf, "JPEG", exif=exif)
    else:
        image.save(buf, "JPEG")
    return buf.getvalue()


def upload(content=None, name="现场.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else jpeg_bytes(),
                              content_type=content_type)
