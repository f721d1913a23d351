"""The yearly 合订本 of a series: gathered issue by issue, typeset once in
the background, and kept under the hash of exactly what was typeset (every
issue's data and the template), so asking again for a year that has not
changed hands back the same file instead of typesetting it again. A new
issue, a correction or an edited unit name changes the hash."""

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from wenming.briefings.render import issue_data
from wenming.briefings.render.pdf import TEMPLATE, render_compilation_pdf
from wenming.briefings.selectors import published_issues
from wenming.core.errors import DomainError
from wenming.tasks.progress import Progress

CACHE_DIR = "briefings/compilations"


def file_name(series, year):
    return f"{series.title}{year}年合订本.pdf"


def gather(series, year, progress=None):
    """The data of every published issue of the year, in order."""
    progress = progress or Progress()
    issues = published_issues(series, year)
    if not issues:
        raise DomainError(f"《{series.title}》{year}年没有已发布的简报，无法生成合订本。")
    data = []
    for n, issue in enumerate(issues, start=1):
        progress.update(f"正在整理第{n}期（共{len(issues)}期）", done=n - 1, total=len(issues) + 1)
        data.append(issue_data(issue))
    return data


def cache_name(series, year, data):
    digest = hashlib.sha256(TEMPLATE.read_bytes())
    digest.update(json.dumps([series.title, series.kind, series.issuer, year, data],
                             ensure_ascii=False, sort_keys=True, default=str).encode())
    return f"{CACHE_DIR}/{series.pk}/{year}-{digest.hexdigest()[:24]}.pdf"


def cached(series, year):
    """The stored file of the year as it stands now, or "" if it has not
    been typeset yet (or no issue is published)."""
    try:
        name = cache_name(series, year, gather(series, year))
    except DomainError:
        return ""
    return name if default_storage.exists(name) else ""


def build(series, year, progress=None):
    """(storage name, issue count, typeset now?) of the year's compilation."""
    progress = progress or Progress()
    data = gather(series, year, progress)
    name = cache_name(series, year, data)
    if default_storage.exists(name):
        progress.update("合订本内容未变，直接使用已排好的文件", done=len(data), total=len(data) + 1)
        return name, len(data), False
    pdf = typeset(series, year, data, progress)
    return default_storage.save(name, ContentFile(pdf)), len(data), True


def typeset(series, year, data, progress):
    # One Typst pass for the whole year: the combined contents needs every
    # issue's page numbers, so the issues cannot be typeset one by one.
    progress.update(f"正在排版合订本（共{len(data)}期，含总目录和页码）",
                    done=len(data), total=len(data) + 1)
    return render_compilation_pdf(series.title, year, data)
