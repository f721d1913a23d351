"""Name normalisation: spellings of one entity share a key; different
entities do not."""

import pytest

from wenming.credit.names import name_key, stem


@pytest.mark.parametrize("variant", [
    "周口市鑫源食品有限公司",
    "河南省周口市鑫源食品有限公司",
    "河南周口鑫源食品有限责任公司",
    "鑫源食品股份有限公司",
    "鑫源食品股份公司",
    " 鑫源 食品　有限公司 ",
    "鑫源（周口）食品有限公司",
    "鑫源(周口)食品有限公司",
    "周口市川汇区鑫源食品有限公司",
])
def test_spellings_of_one_company_share_a_key(variant):
    assert name_key(variant) == name_key("鑫源食品有限公司") == "鑫源食品有限公司"


def test_full_width_latin_and_case():
    assert name_key("ＡＢＣ超市（川汇店）") == name_key("abc超市(川汇店)") == "abc超市川汇店"


def test_different_trade_names_differ():
    assert name_key("鑫源食品有限公司") != name_key("鑫达食品有限公司")
    assert name_key("鑫源食品有限公司") != name_key("鑫源建材有限公司")


def test_place_names_only_in_order_and_only_at_the_start():
    # A county followed by a city name: the city name belongs to the trade name.
    assert name_key("淮阳区安阳兴建筑工程有限公司") == "安阳兴建筑工程有限公司"
    assert name_key("鑫源周口食品有限公司") == "鑫源周口食品有限公司"


def test_a_name_that_is_only_a_place_is_kept():
    assert name_key("周口市") == "周口市"


def test_stem_drops_legal_and_organisational_forms():
    assert stem(name_key("鑫源食品有限公司")) == "鑫源食品"
    assert stem(name_key("宏凤家具农民专业合作社")) == "宏凤家具"
    assert stem(name_key("老王商行")) == "老王"
    assert stem(name_key("鑫源酒店")) == "鑫源酒店"
