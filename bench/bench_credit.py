"""Screening speed and quality (issue 7).

    python bench/bench_credit.py [--names 100000] [--listed 20000]

Builds 20,000 listed entities with valid credit codes for 周口 region codes
and fictional but realistic names ([place] + trade name + industry + legal
form), then screens 100,000 input rows on one core:

* 30% carry the code of a listed entity (with the name spelled some other
  way): recall must be 1.0;
* 30% are a listed entity's name written differently, without a code —
  full-width characters, （） vs (), 有限责任公司 vs 有限公司, 股份 forms,
  spaces, a place-name prefix added or dropped, the legal form left out, a
  character typed wrong or two swapped, or two of these at once;
* 40% are entities that are not listed, from the same generator (so many
  share trade-name characters and industries with listed ones).

Prints names/s (target ≥ 5,000; yente reports about 4-30 match requests/s
per vCPU), recall per variant kind, and precision over every match returned.
No timing is asserted anywhere.
"""

import argparse
import os
import random
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wenming.core.uscc import ALPHABET, make_uscc  # noqa: E402
from wenming.credit.names import name_key, stem  # noqa: E402
from wenming.credit.screening import DEFAULT_MIN_SCORE, ScreenIndex, Target  # noqa: E402

REGIONS = ["411602", "411603", "411621", "411622", "411623", "411624", "411625", "411627",
           "411628", "411681", "411600"]
PREFIXES = ["", "", "", "周口市", "河南省", "河南", "周口市川汇区", "周口", "项城市", "淮阳区"]
TRADE_CHARS = ("鑫源华泰达隆盛恒兴昌丰瑞祥和福顺通宏宇润嘉金银利永安康德信诚佳美新天中"
               "远大正博豪凯旺鼎辉明亮光宝聚益汇合创博文龙凤腾飞翔春秋阳海川林森晶")
INDUSTRIES = ["食品", "商贸", "建筑工程", "农业科技", "医药", "汽车销售服务", "物流", "餐饮管理",
              "服装", "建材", "家具", "电子科技", "网络科技", "房地产开发", "物业管理", "纺织",
              "机械制造", "化工", "印刷", "文化传媒", "教育咨询", "酒店管理", "粮油", "面粉",
              "饲料", "畜牧", "果蔬", "超市", "五金", "电器", "装饰工程", "劳务", "环保科技",
              "新能源", "生物科技", "包装", "木业", "塑业", "钢结构", "混凝土"]
FORMS = (["有限公司"] * 12 + ["有限责任公司"] * 3 + ["股份有限公司"] + ["商行", "经营部", "厂",
         "农民专业合作社"])
SIMILAR = {  # plausible wrong characters for a typo
    "鑫": "新", "源": "元", "华": "化", "泰": "太", "达": "大", "隆": "龙", "盛": "胜",
    "恒": "衡", "兴": "星", "昌": "长", "丰": "峰", "瑞": "锐", "祥": "翔", "和": "合",
    "福": "富", "顺": "舜", "通": "同", "宏": "鸿", "宇": "雨", "润": "闰", "嘉": "佳",
    "利": "力", "永": "勇", "康": "抗", "德": "得", "信": "鑫", "诚": "成", "美": "梅",
    "天": "田", "远": "源", "博": "搏", "豪": "浩", "凯": "楷", "旺": "望", "鼎": "顶",
    "辉": "晖", "明": "铭", "光": "广", "宝": "保", "聚": "巨", "益": "亿", "汇": "会",
    "创": "闯", "文": "闻", "龙": "隆", "凤": "峰", "腾": "藤", "飞": "菲", "阳": "扬",
    "海": "凯", "林": "琳", "森": "升", "晶": "精", "品": "口", "贸": "茂", "科": "棵",
    "技": "枝", "物": "务", "流": "留", "药": "要", "装": "妆", "饰": "式", "材": "才",
}


LATIN_TRADES = ["ABC", "5G", "3D", "JH", "HX", "ZK", "TCL", "KFC", "XY", "QQ", "AK", "HD"]


def random_name(rng):
    if rng.random() < 0.08:
        trade = rng.choice(LATIN_TRADES) + rng.choice(TRADE_CHARS)
    else:
        trade = "".join(rng.choice(TRADE_CHARS) for _ in range(rng.choice([2, 2, 2, 3])))
    return rng.choice(PREFIXES), trade, rng.choice(INDUSTRIES), rng.choice(FORMS)


def random_code(rng):
    body = "".join(rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    return make_uscc("9", rng.choice("1112"), rng.choice(REGIONS), body)


def full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def variant(rng, parts, kind):
    prefix, trade, industry, form = parts
    if kind == "width":
        # Latin trade names typed full-width or in lower case; otherwise an
        # ideographic space (U+3000) inside the name.
        name = f"{prefix}{trade}{industry}{form}"
        if trade.isascii():
            return full_width(name) if rng.random() < 0.5 else name.lower()
        return f"{prefix}{trade}\u3000{industry}{form}"
    if kind == "brackets":
        return f"{trade}（周口）{industry}{form}" if rng.random() < 0.5 else \
            f"{trade}(周口){industry}{form}"
    if kind == "legal_form":
        swaps = {"有限公司": ["有限责任公司", "股份有限公司", "股份公司"],
                 "有限责任公司": ["有限公司"], "股份有限公司": ["有限公司", "股份公司"]}
        new_form = rng.choice(swaps.get(form, [form]))
        return f"{prefix}{trade}{industry}{new_form}"
    if kind == "spaces":
        return f"{prefix} {trade} {industry}  {form} "
    if kind == "prefix":
        other = rng.choice([p for p in PREFIXES if p != prefix] or [""])
        return f"{other}{trade}{industry}{form}"
    if kind == "no_form":
        return f"{prefix}{trade}{industry}"
    if kind in ("typo_industry", "typo_trade"):
        text = list(trade + industry)
        span = range(len(trade), len(text)) if kind == "typo_industry" else range(len(trade))
        positions = [i for i in span if text[i] in SIMILAR] or list(span)
        i = rng.choice(positions)
        text[i] = SIMILAR.get(text[i], "某")
        return f"{prefix}{''.join(text)}{form}"
    if kind == "swap":
        text = list(trade if not trade.isascii() else trade + industry)
        text[0], text[1] = text[1], text[0]
        return f"{prefix}{''.join(text)}{industry}{form}"
    if kind == "combined":
        a, b = rng.sample(["brackets", "legal_form", "spaces", "prefix", "width"], 2)
        if b == "prefix":
            parts = (rng.choice(["河南省周口市", "周口市川汇区", ""]), trade, industry, form)
        first = variant(rng, parts, a)
        if b == "spaces":
            return " ".join(first)
        if b == "width":
            return first.replace("(", "（").replace(")", "）") + "\u3000"
        if b == "legal_form":
            return first.replace("有限公司", "有限责任公司") if "有限公司" in first else first
        return first
    raise ValueError(kind)


# The spellings the issue lists (and a missing legal form, and a slip in the
# industry words): screening must find these.
VARIANT_KINDS = ["width", "brackets", "legal_form", "spaces", "prefix", "no_form", "combined",
                 "typo_industry"]
# A wrong or swapped character in the trade name itself: as likely another
# firm as a slip (鑫源/鑫达 are both real), so these score below the default
# threshold on purpose. Reported, not counted in the variant recall.
TRADE_KINDS = ["typo_trade", "swap"]
ALL_KINDS = VARIANT_KINDS + TRADE_KINDS


def build(n_listed, n_names, seed=2023):
    rng = random.Random(seed)
    # One city does not register two firms with the same trade name in the
    # same industry (企业名称登记管理规定), so neither does the generator:
    # unlisted firms differ from listed ones at least in the trade name.
    listed, taken, codes = [], set(), set()
    while len(listed) < n_listed:
        parts = random_name(rng)
        name = "".join(parts)
        if parts[1:3] in taken:
            continue
        code = random_code(rng)
        if code in codes:
            continue
        taken.add(parts[1:3])
        codes.add(code)
        listed.append((parts, name, code))
    stems = {stem(name_key(name)) for _parts, name, _code in listed}
    queries = []  # (name, code, expected index or None, kind)
    n_code = int(n_names * 0.3)
    n_variant = int(n_names * 0.3)
    for _ in range(n_code):
        i = rng.randrange(n_listed)
        parts, _name, code = listed[i]
        kind = rng.choice(ALL_KINDS)
        queries.append((variant(rng, parts, kind), code, i, "code"))
    for j in range(n_variant):
        i = rng.randrange(n_listed)
        kind = ALL_KINDS[j % len(ALL_KINDS)]
        name = variant(rng, listed[i][0], kind)
        if kind in TRADE_KINDS and stem(name_key(name)) in stems:
            continue  # the slip happens to spell another listed firm
        queries.append((name, "", i, kind))
    while len(queries) < n_names:
        parts = random_name(rng)
        name = "".join(parts)
        if parts[1:3] in taken:
            continue
        taken.add(parts[1:3])
        code = random_code(rng) if rng.random() < 0.5 else ""
        queries.append((name, code, None, "unlisted"))
    rng.shuffle(queries)
    return listed, queries


def quality(listed, queries, results, min_score, examples=True):
    hits, totals = Counter(), Counter()
    returned = correct = 0
    wrong_examples = defaultdict(list)
    for (name, _code, expected, kind), matches in zip(queries, results, strict=True):
        found = {m.target.entity_id for m in matches}
        returned += len(found)
        if expected is not None:
            totals[kind] += 1
            if expected in found:
                hits[kind] += 1
                correct += 1
            elif len(wrong_examples[kind]) < 2:
                wrong_examples[kind].append((name, listed[expected][1]))
        for m in matches:
            if m.target.entity_id != expected and len(wrong_examples["false"]) < 3:
                wrong_examples["false"].append((name, m.target.name, round(m.score)))
    print(f"  code matches: recall {hits['code'] / totals['code']:.4f} "
          f"({hits['code']:,}/{totals['code']:,})")
    variant_hits = sum(hits[k] for k in VARIANT_KINDS)
    variant_total = sum(totals[k] for k in VARIANT_KINDS)
    print(f"  name variants (no code): recall {variant_hits / variant_total:.4f} "
          f"({variant_hits:,}/{variant_total:,})")
    for kind in VARIANT_KINDS:
        print(f"    {kind:<14} {hits[kind] / totals[kind]:.4f}  ({hits[kind]:,}/{totals[kind]:,})")
    print("  trade-name slips (ambiguous, so scored ≤ 80 by design; not in the figure above):")
    for kind in TRADE_KINDS:
        print(f"    {kind:<14} {hits[kind] / totals[kind]:.4f}  ({hits[kind]:,}/{totals[kind]:,})")
    print(f"  precision: {correct / returned:.4f} ({correct:,} of {returned:,} matches returned "
          f"are the right entity)")
    if examples:
        for kind, items in wrong_examples.items():
            for example in items:
                print(f"    missed/false [{kind}]: {example}")


def make_index(listed):
    return ScreenIndex(Target(entity_id=i, name=name, code=code)
                       for i, (_parts, name, code) in enumerate(listed))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--names", type=int, default=100_000)
    parser.add_argument("--listed", type=int, default=20_000)
    parser.add_argument("--min-score", type=float, default=DEFAULT_MIN_SCORE)
    args = parser.parse_args()

    started = time.perf_counter()
    listed, queries = build(args.listed, args.names)
    print(f"synthetic data: {len(listed):,} listed entities, {len(queries):,} input rows "
          f"({time.perf_counter() - started:.1f} s to generate)")

    started = time.perf_counter()
    index = make_index(listed)
    print(f"index build: {(time.perf_counter() - started) * 1000:.0f} ms "
          f"for {len(index):,} entities")

    started, cpu_started = time.perf_counter(), time.process_time()
    results = [index.match(name, code, min_score=args.min_score) for name, code, _, _ in queries]
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    rate = len(queries) / cpu
    # CPU time is what one core spends; on a shared machine wall time also
    # counts the time other processes hold the core.
    print(f"screening: {len(queries):,} rows in {cpu:.2f} s of CPU = {rate:,.0f} names/s "
          f"on one core (target ≥ 5,000); wall {elapsed:.2f} s = "
          f"{len(queries) / elapsed:,.0f} names/s; load average {os.getloadavg()[0]:.1f}")
    print(f"  vs yente's ~4-30 match requests/s per vCPU: {rate / 30:,.0f}x to "
          f"{rate / 4:,.0f}x faster on this narrower job")

    print(f"\nquality at min_score {args.min_score:g}:")
    quality(listed, queries, results, args.min_score)

    print("\nquality with doubtful matches shown too (min_score 75, for human review):")
    quality(listed, queries, [index.match(n, c, min_score=75) for n, c, _, _ in queries], 75,
            examples=False)

    small, small_queries = build(300, 10_000, seed=7)
    small_index = make_index(small)
    print(f"\na city's real size — {len(small)} listed entities, {len(small_queries):,} rows, "
          f"min_score {args.min_score:g}:")
    quality(small, small_queries,
            [small_index.match(n, c, min_score=args.min_score) for n, c, _, _ in small_queries],
            args.min_score, examples=False)

    sample = unicodedata.normalize("NFC", queries[0][0])
    print(f"\nexample row: {sample!r} → "
          f"{[(m.target.name, round(m.score), m.reason) for m in index.match(sample, '')]}")


if __name__ == "__main__":
    main()
