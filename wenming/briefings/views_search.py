"""The archive search page: open to the public, who find published issues
of public series only."""

from django import forms
from django.core.paginator import Page, Paginator
from django.forms.utils import flatatt
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from wenming.accounts.models import Unit
from wenming.briefings.models import Series
from wenming.briefings.search import filter_choices, search_articles, sees_everything

PER_PAGE = 20
ORDER_CHOICES = [("relevance", "按相关度"), ("date", "按日期")]


class Select(forms.Select):
    """A select written out in Python. Django renders every option through
    templates of its own, which on this page (an option per source unit)
    cost more than the search itself."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (str(v), mark_safe(" selected") if str(v) in selected else "", label)
            for v, label in self.choices))
        return format_html("<select name=\"{}\"{}>{}</select>", name,
                           flatatt(self.build_attrs(self.attrs, attrs)), options)


class SearchForm(forms.Form):
    q = forms.CharField(label="检索词", max_length=200, required=False,
                        widget=forms.TextInput(attrs={
                            "type": "search", "placeholder": "如：文明城市 “红黑榜”"}))
    series = forms.ModelChoiceField(label="简报", queryset=Series.objects.none(), required=False,
                                    empty_label="全部简报", widget=Select)
    year_from = forms.IntegerField(label="起始年度", min_value=1949, max_value=2100,
                                   required=False)
    year_to = forms.IntegerField(label="截止年度", min_value=1949, max_value=2100,
                                 required=False)
    column = forms.ChoiceField(label="栏目", required=False, widget=Select)
    # Plain choices of (id, name): an option per unit, without building a
    # model instance for each on every search.
    source_unit = forms.TypedChoiceField(label="供稿单位", coerce=int, empty_value=None,
                                         required=False, widget=Select)
    order = forms.ChoiceField(label="排序", choices=ORDER_CHOICES, required=False, widget=Select)

    def __init__(self, *args, everything=False, **kwargs):
        super().__init__(*args, **kwargs)
        series = Series.objects.all()
        if not everything:
            series = series.filter(is_public=True)
        self.fields["series"].queryset = series
        names, units = filter_choices(everything)
        self.fields["column"].choices = [("", "全部栏目"), *((n, n) for n in names)]
        self.fields["source_unit"].choices = [
            ("", "全部单位"), *Unit.objects.filter(pk__in=units).values_list("pk", "name")]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", "截止年度不能早于起始年度。")
        return data


def search(request):
    everything = sees_everything(request.user)
    form = SearchForm(request.GET or None, everything=everything)
    results = page = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        options = {k: data[k] for k in ("series", "year_from", "year_to", "column",
                                         "source_unit")}
        options["order"] = data["order"] or "relevance"
        number = _page_number(request.GET.get("page"))
        results = search_articles(request.user, data["q"], page=number, per_page=PER_PAGE,
                                  **options)
        if results.total and not results.hits:
            # Past the last page (an old link): show the last page instead.
            results = search_articles(request.user, data["q"], page=results.num_pages,
                                      per_page=PER_PAGE, **options)
        page = Page(results.hits, results.page, Paginator(range(results.total), PER_PAGE))
    query = request.GET.copy()
    query.pop("page", None)
    sort = query.copy()
    sort.pop("order", None)
    return render(request, "briefings/search.html", {
        "form": form, "results": results, "page": page, "query": query.urlencode(),
        "sort_query": sort.urlencode(), "order": request.GET.get("order") or "relevance",
        "orders": ORDER_CHOICES, "everything": everything,
    })


def _page_number(value):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1
