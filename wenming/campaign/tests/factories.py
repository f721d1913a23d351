"""Small builders for campaign tests. Everything goes through the services."""

import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image

from wenming.campaign import catalog, services
from wenming.campaign.models import Campaign, Criterion, SiteCategory

# (area code, area, item code, item, code, criterion, method, weight, categories)
INDEX_ROWS = [
    ("1", "公共环境", "1.1", "农贸市场管理", "1.1.1", "市场内外环境整洁，无乱搭乱建、占道经营",
     "field", "2", ["农贸市场"]),
    ("1", "公共环境", "1.1", "农贸市场管理", "1.1.2", "有公益广告，公平秤设置规范", "field",
     "1", ["农贸市场"]),
    ("1", "公共环境", "1.2", "背街小巷", "1.2.1", "路面平整，无积存垃圾、无乱堆乱放", "field",
     "2", ["背街小巷", "居民小区"]),
    ("2", "公共秩序", "2.1", "交通秩序", "2.1.1", "机动车、非机动车停放有序", "field", "1.5",
     ["农贸市场", "背街小巷", "主次干道"]),
    ("2", "公共秩序", "2.2", "制度建设", "2.2.1", "建立门前三包责任制度并有档案", "document",
     "1", ["农贸市场"]),
]


def make_campaign(actor, year=2024):
    catalog.ensure_categories()
    campaign = Campaign.objects.filter(name="创建全国文明城市").first() or \
        catalog.create_campaign(actor, name="创建全国文明城市", year=year,
                                issuer="周口市创建全国文明城市工作指挥部办公室",
                                notice_prefix="周创文督")
    rows = [{"area_code": a, "area_name": an, "item_code": i, "item_name": iname, "code": c,
             "text": t, "method": m, "weight": w, "categories": cats}
            for a, an, i, iname, c, t, m, w, cats in INDEX_ROWS]
    catalog.import_index(actor, campaign, year, rows)
    return campaign


def criterion(code, year=2024):
    return Criterion.objects.get(code=code, index__year=year)


def make_site(actor, world, name="五一路农贸市场", category="农贸市场", district="chuanhui",
              unit="chuanhui", lat=33.6254, lng=114.6496):
    category = SiteCategory.objects.get(name=category)
    return catalog.save_site(actor, name=name, category=category, address="五一路88号",
                             lat=lat, lng=lng, district=world[district],
                             responsible_unit=world[unit])


def jpeg(color="red", size=(64, 48), gps=None, fmt="JPEG", comment=None):
    """Image bytes; `gps` = (lat, lng) writes an EXIF GPS block like a phone does."""
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "TestPhone Maker"  # Make
    exif[0x0131] = "secret-device-serial"  # Software
    if gps:
        lat, lng = gps

        def dms(value):
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60, 4)
            return (float(d), float(m), float(s))

        exif[0x8825] = {1: "N" if lat >= 0 else "S", 2: dms(abs(lat)),
                        3: "E" if lng >= 0 else "W", 4: dms(abs(lng))}
    out = io.BytesIO()
    image.save(out, fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(content=None, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content if content is not None else jpeg(),
                              content_type=content_type)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(headers, rows, name, content_type=XLSX):
    """An uploaded one-sheet workbook: the header row, then `rows`."""
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return upload(out.getvalue(), name=name, content_type=content_type)


def make_problem(actor, site, code="1.1.1", description="市场东门占道经营，摊位外溢",
                 severity="normal", photos=None, **kwargs):
    return services.create_problem(
        actor, site=site, criterion=criterion(code), description=description,
        severity=severity, photos=[upload()] if photos is None else photos,
        client_id=uuid.uuid4(), **kwargs)


def dispatched(people, site, **kwargs):
    problem = make_problem(people["inspector"], site, **kwargs)
    return services.dispatch_problem(people["inspector"], problem)


def submitted(people, site, **kwargs):
    problem = dispatched(people, site, **kwargs)
    return services.submit_rectification(people["liaison"], problem, text="已清理占道摊位",
                                         photos=[upload(jpeg("green"))])
