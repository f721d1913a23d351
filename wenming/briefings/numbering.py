"""How an issue's number reads in print and on screen: 第3期, 第3期（总第27期）,
增刊第2期（总第30期）. The serial runs through supplements too, so it is shown
whenever the issue has one. Models, renderers and templates all use this."""


def number_text(number, serial=None, is_supplement=False):
    if number in (None, ""):
        return "增刊" if is_supplement else ""
    text = f"增刊第{number}期" if is_supplement else f"第{number}期"
    if serial:
        text += f"（总第{serial}期）"
    return text
