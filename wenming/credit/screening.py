"""Screening (名单筛查): given rows of (name, optional code), find the entities
on the published lists that they are.

Matching, in the order tried:

1. by code — the credit code (or registration number) is exact; a person is
   matched only this way, by ID number, never by name;
2. by name key — equal after normalisation (width, brackets, legal form,
   place-name prefixes; see credit.names);
3. by stem — equal once the legal form is dropped as well;
4. fuzzy — stems within one edit (a wrong, missing, extra or swapped
   character) found through a deletion-neighbourhood index, then scored with
   rapidfuzz's normalised Indel similarity.

The index is plain dicts built from the current listings each time it is
needed (no cache between requests: several processes may serve the API);
building it for 20,000 entities takes a fraction of a second.
"""

from dataclasses import dataclass, field

from rapidfuzz.distance import OSA, Indel

from wenming.core.idcard import check_id_number, mask_id_number, normalize_id_number
from wenming.core.uscc import REGISTRATION_NUMBER, check_code, normalize_code
from wenming.credit.names import clean, name_key, stem

DEFAULT_MIN_SCORE = 88
MAX_ROWS = 10000
_FUZZY_CAP = 94.0
# A difference inside the trade name caps the score here, below the default
# threshold: shown only to a caller who asks for doubtful matches too.
TRADE_CAP = 80.0
INDUSTRY_MAX = 8
INDUSTRY_MIN_NAMES = 5
INDUSTRY_SHARE = 0.1
# A one-character slip in the industry words of a name whose trade name is
# the same scores at least this.
INDUSTRY_SLIP_SCORE = 90.0


@dataclass
class Target:
    """One listed entity as the index holds it."""

    entity_id: int
    name: str
    code: str = ""
    id_number: str = ""
    listings: list = field(default_factory=list)
    key: str = ""
    stem: str = ""
    trade_length: int = 0
    trade: str = ""
    industry: str = ""

    @property
    def identifier(self):
        return mask_id_number(self.id_number) if self.id_number else self.code


@dataclass
class Match:
    target: Target
    score: float
    method: str
    reason: str

    def as_dict(self):
        return {"entity": self.target.name, "code": self.target.identifier,
                "score": round(self.score, 1), "method": self.method, "reason": self.reason,
                "listings": self.target.listings}


# Industry words (行业表述) common in company names. A short list needs them:
# its few names share too few endings to find the industries on their own.
INDUSTRY_WORDS = frozenset("""
食品 食品科技 商贸 贸易 商务 实业 投资 置业 房地产开发 房地产 物业管理 物业 建筑工程 建设工程
建筑 建设 工程 市政工程 路桥 装饰工程 装饰 装饰设计 园林绿化 绿化工程 劳务 人力资源 科技
网络科技 信息技术 信息科技 电子科技 电子 农业科技 农业开发 农业 生物科技 环保科技 环保
新能源 能源 电力 燃气 供水 水务 热力 医药 药业 大药房 药房 医疗器械 医疗 卫生 物流 运输 货运
仓储 快递 餐饮 餐饮管理 酒店管理 酒店 宾馆 服装 服饰 纺织 鞋业 建材 家具 家居 机械 机械制造
机械设备 设备 化工 印刷 包装 文化传媒 文化传播 传媒 广告 文化 教育咨询 教育科技 培训 咨询
管理咨询 粮油 面粉 饲料 畜牧 养殖 种植 果蔬 蔬菜 超市 商场 百货 五金 电器 家电 汽车销售服务
汽车销售 汽车服务 汽车 钢结构 混凝土 水泥 石材 陶瓷 玻璃 木业 塑业 塑料 钢铁 金属 化肥
农资 种业 茶业 酒业 烟酒 乳业 肉类 食品加工 冷链 家政 保洁 安保 保安服务 检测 设计 通信
电子商务 农贸市场 市场 商行 门市部 经营部 店
""".split())


def _known_industry(text):
    """Length of the longest industry word `text` ends with (leaving at
    least one character of trade name), or 0."""
    for n in range(min(INDUSTRY_MAX, len(text) - 1), 1, -1):
        if text[-n:] in INDUSTRY_WORDS:
            return n
    return 0


def _deletes(text):
    return {text[:i] + text[i + 1:] for i in range(len(text))}


class ScreenIndex:
    def __init__(self, targets):
        self.targets = []
        self.by_code, self.by_key, self.by_stem, self.by_delete = {}, {}, {}, {}
        for target in targets:
            self.add(target)
        self._split_trade_names()

    def add(self, target):
        i = len(self.targets)
        self.targets.append(target)
        if target.code:
            self.by_code.setdefault(target.code, []).append(i)
        if target.id_number:
            self.by_code.setdefault(target.id_number, []).append(i)
            return  # people are found by ID number only
        target.key = name_key(target.name)
        target.stem = stem(target.key)
        self.by_key.setdefault(target.key, []).append(i)
        self.by_stem.setdefault(target.stem, []).append(i)
        for key in _deletes(target.stem) | {target.stem}:
            self.by_delete.setdefault(key, []).append(i)

    def _split_trade_names(self):
        """Mark where each stem's trade name (字号) ends and its industry
        (行业表述) begins. An industry is an ending many names share (食品,
        网络科技 …) and that is preceded by few different characters; a trade
        name is where that variety explodes (鑫源食品, 华泰食品, 龙腾食品 …).
        A one-character difference in the trade name usually means another
        firm (鑫源 and 鑫达 both exist); in the industry it is a slip."""
        self.endings = endings = {}
        for t in self.targets:
            for n in range(2, min(INDUSTRY_MAX, len(t.stem) - 1) + 1):
                endings[t.stem[-n:]] = endings.get(t.stem[-n:], 0) + 1
        for t in self.targets:
            t.trade_length = len(t.stem) - max(_known_industry(t.stem),
                                               self._common_ending(t.stem))
        self.by_trade = {}
        for i, t in enumerate(self.targets):
            t.trade, t.industry = t.stem[:t.trade_length], t.stem[t.trade_length:]
            if t.industry:
                self.by_trade.setdefault(t.trade, []).append(i)

    def _common_ending(self, text):
        """Length of the ending of `text` that the listed names share, or 0."""
        endings = self.endings
        n, longest = 2, min(INDUSTRY_MAX, len(text) - 1)
        if n > longest or endings.get(text[-n:], 0) < INDUSTRY_MIN_NAMES:
            return 0
        while n < longest:
            wider = endings.get(text[-(n + 1):], 0)
            if wider < INDUSTRY_MIN_NAMES or wider < INDUSTRY_SHARE * endings[text[-n:]]:
                break
            n += 1
        return n

    def _is_industry(self, text):
        return text in INDUSTRY_WORDS or self.endings.get(text, 0) >= INDUSTRY_MIN_NAMES

    def __len__(self):
        return len(self.targets)

    def match(self, name, code="", min_score=DEFAULT_MIN_SCORE, limit=5):
        """The best matches of one input row, best first."""
        found = {}
        code = normalize_code(code) if code else ""
        if code:
            for i in self.by_code.get(code, ()) or self.by_code.get(
                    normalize_id_number(code), ()):
                t = self.targets[i]
                reason = "身份证号码一致" if t.id_number else "统一社会信用代码一致"
                if name and not t.id_number and name_key(name) != t.key:
                    reason += f"；名称不同（名单中为“{t.name}”）"
                found[i] = Match(t, 100.0, "code", reason)
        if name:
            self._match_name(name, code, found, min_score)
        matches = sorted(found.values(), key=lambda m: (-m.score, m.target.entity_id))
        return [m for m in matches if m.score >= min_score][:limit]

    def _match_name(self, name, code, found, min_score):
        key = name_key(name)
        if len(key) < 2:
            return
        query_stem = stem(key)
        for i in self.by_key.get(key, ()):
            if i not in found:
                t = self.targets[i]
                exact = clean(name) == clean(t.name)
                self._add(found, i, code, 100.0, "name",
                          "名称完全一致" if exact else f"名称规范化后一致（名单中为“{t.name}”）")
        for i in self.by_stem.get(query_stem, ()):
            if i not in found:
                t = self.targets[i]
                self._add(found, i, code, 96.0, "name",
                          f"名称主体一致，组织形式不同（名单中为“{t.name}”）")
        self._fuzzy(query_stem, code, found, min_score)

    def _fuzzy(self, query_stem, code, found, min_score):
        if min_score > TRADE_CAP:
            self._industry_slips(query_stem, code, found, min_score)
            return
        candidates = set()
        for key in _deletes(query_stem):
            candidates.update(self.by_delete.get(key, ()))
        candidates.update(self.by_delete.get(query_stem, ()))
        # Only a slip in the industry words can reach the default threshold;
        # the other cases are graded only for a caller who asks lower.
        doubtful_too = min_score <= TRADE_CAP
        longer = len(query_stem)
        for i in candidates:
            if i in found:
                continue
            t = self.targets[i]
            same_trade = bool(t.industry) and query_stem.startswith(t.trade) and not (
                longer > len(t.stem) and query_stem.endswith(t.industry))
            if not same_trade and not doubtful_too:
                continue
            # Candidates are within one edit already; the similarity only grades them.
            similarity = Indel.normalized_similarity(query_stem, t.stem)
            score = min(similarity * 100, _FUZZY_CAP)
            percent = f"{similarity * 100:.0f}"
            if not same_trade:
                # The slip touches the trade name, or adds a character right
                # after it (远川 → 远川祥): another firm as likely as not.
                score = min(score, TRADE_CAP)
                reason = f"名称相似（相似度{percent}），但字号不同，可能是另一主体"
            elif self._is_industry(query_stem[len(t.trade):]):
                # Same trade name, another industry (大天木业, 大天塑业): a
                # sister firm, not a slip.
                score = min(score, TRADE_CAP)
                reason = f"字号相同但行业不同（相似度{percent}），可能是另一主体"
            else:
                score = max(score, INDUSTRY_SLIP_SCORE)
                reason = f"字号相同，名称其余部分有一字之差（相似度{percent}）"
            if score >= min_score:
                self._add(found, i, code, score, "fuzzy", f"{reason}：名单中为“{t.name}”")

    def _industry_slips(self, query_stem, code, found, min_score):
        """The default threshold's fast path: only a slip in the industry
        words can reach it, so look up the trade names the query starts
        with, then compare the rest with each one's industry."""
        for n in range(1, len(query_stem)):
            ids = self.by_trade.get(query_stem[:n])
            if not ids:
                continue
            rest = query_stem[n:]
            for i in ids:
                t = self.targets[i]
                if i in found or OSA.distance(rest, t.industry, score_cutoff=1) > 1:
                    continue
                if len(rest) > len(t.industry) and rest.endswith(t.industry):
                    continue  # a character added to the trade name (远川 → 远川祥)
                if self._is_industry(rest):
                    continue  # another industry: a sister firm (大天木业, 大天塑业)
                similarity = Indel.normalized_similarity(query_stem, t.stem)
                score = min(max(similarity * 100, INDUSTRY_SLIP_SCORE), _FUZZY_CAP)
                if score >= min_score:
                    self._add(found, i, code, score, "fuzzy",
                              f"字号相同，名称其余部分有一字之差（相似度{similarity * 100:.0f}）："
                              f"名单中为“{t.name}”")

    def _add(self, found, i, code, score, method, reason):
        target = self.targets[i]
        if code and target.code and target.code != code:
            # Same name, different code: more likely a namesake than the
            # same entity, so it only shows when the caller looks lower.
            score -= 15
            reason += f"；但统一社会信用代码不同（名单中为{target.code}）"
        found[i] = Match(target, score, method, reason)


def masked_input(code):
    """An input code echoed back: a citizen ID number is masked even there."""
    number, error = check_id_number(code)
    return mask_id_number(number) if code and not error else code


def listed_targets(today=None):
    """Every entity with a current listing on a published list, with those
    listings described for the screening result."""
    from django.db.models import Q
    from django.utils import timezone

    from wenming.credit.models import Listing

    today = today or timezone.localdate()
    listings = (Listing.objects.filter(credit_list__status="published", status="active")
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
                .select_related("entity", "credit_list", "department")
                .order_by("entity_id", "pk"))
    targets = {}
    for listing in listings:
        entity = listing.entity
        target = targets.get(entity.pk)
        if target is None:
            target = targets[entity.pk] = Target(
                entity_id=entity.pk, name=entity.name, code=entity.code,
                id_number=entity.id_number if entity.is_person else "")
        target.listings.append({
            "list": listing.credit_list.title,
            "kind": listing.credit_list.kind_label,
            "color": listing.credit_list.color,
            "year": listing.credit_list.year,
            "number": listing.credit_list.number,
            "seq": listing.seq,
            "basis": listing.get_basis_display(),
            "department": listing.department.name,
            "decided_on": listing.decided_on.isoformat(),
            "valid_until": listing.valid_until.isoformat() if listing.valid_until else None,
        })
    return list(targets.values())


def build_index(today=None):
    return ScreenIndex(listed_targets(today))


def code_check(code):
    """(valid or None when no code was given, what the 代码校验 column says).
    A screening row may carry a person's ID number in place of a credit
    code, so a valid ID number is valid here."""
    if not code.strip():
        return None, ""
    if not check_id_number(code)[1]:
        return True, "有效（身份证号码）"
    result = check_code(code)
    if result.valid:
        return True, "有效（旧15位工商注册号）" if result.kind == REGISTRATION_NUMBER else "有效"
    return False, result.message


def screen_rows(index, rows, min_score=DEFAULT_MIN_SCORE, limit=5, progress=None):
    """rows: [{"name", "code"}] → one result per row, in order. An invalid
    code is said so in `code_check`: its row found nothing by code because
    the code is wrong, not because the entity is not listed."""
    results = []
    for n, row in enumerate(rows, start=1):
        if progress and n % 500 == 0:
            progress.update(f"正在比对第{n:,}行", done=n, total=len(rows))
        name = str(row.get("name") or "").strip()
        code = str(row.get("code") or "").strip()
        matches = index.match(name, code, min_score=min_score, limit=limit)
        valid, label = code_check(code)
        results.append({"row": n, "name": name, "code": masked_input(code),
                        "code_valid": valid, "code_check": label,
                        "matches": [m.as_dict() for m in matches]})
    return results
