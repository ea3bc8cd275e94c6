# ruff: noqa: RUF001, RUF002, RUF003  (names in Han script are the point)
"""Personal names in Han script, with or without a title (see ``accord.safeguards.names``).

A common surname (the 100 commonest and the compound ones) with one or two
given-name characters, when it stands alone (between punctuation, spaces or
other scripts: "联系人：张伟。"), before a title (先生, 女士...), after a naming
word (名叫, 嫌疑人...) or a word such as 由/属于/联系了, or before a verb of
speech, posting or running an account (说, 表示, 上传, 发布...). Inside running
Chinese a surname character followed by other characters is most often an
ordinary word (王国, 高度, 金融, 方向), so it is not flagged there.

Core module: no fastapi, typer, jinja2, accord.api, accord.web or accord.cli imports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["HAN", "HAN_AFTER", "HAN_TITLED", "han_names"]

HAN = "a personal name (Han script)"
Span = tuple[int, int, str]

_HAN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_HAN_COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
                 "司徒", "夏侯", "端木", "宇文", "长孙")
# Characters common in given names (and rare at the end of ordinary two-character words
# that start with a surname character).
_HAN_GIVEN = frozenset(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩凯健俊帆帅旭"
    "晨亮琳晶欣怡婷雪慧颖倩佳嘉莉梅兰凤婉淑惠珍琪瑶璐露丹蕾薇菲悦妍彤岚毅峰锋浩翔鑫森林楠"
    "博文武建志永春海波宁福贵祥荣发刚振东晓小红军伦坤昊宏阳瑞泽轩睿哲晖昕子涵梓萱诗雨思琦"
    "婕妮媛琴霖卓然勋铭锐恒豪冰莹洁馨蓉芸蓓曦".replace(" ", ""))
_HAN_CHAR = r"[\u4e00-\u9fff]"
HAN_TITLED = re.compile("[" + _HAN_SURNAMES + r"]" + _HAN_CHAR + r"{0,2}"
                         r"(?:先生|女士|小姐|同志|教授|博士|某|老师|师傅|主任|经理|书记|局长|部长)")
HAN_AFTER = re.compile(
    r"(?:名叫|叫做|姓名|化名)[:\uff1a\s]*" + _HAN_CHAR + r"{2,4}"
    r"|(?:嫌疑人|嫌犯|头目|首领|头领|队长|指挥官|领导人|发言人|联系人|男子|女子|招募者|负责人)"
    r"[:\uff1a\s]*(?:" + "|".join(_HAN_COMPOUND) + "|[" + _HAN_SURNAMES + "])" + _HAN_CHAR
    + "{1,2}")
_HAN_BEFORE = ("说", "表示", "称", "曾", "被", "等人", "在", "于", "因", "已", "将", "向", "和",
               "与", "是", "为", "通过", "参与", "参加", "策划", "负责", "承认", "供述", "逃往",
               "前往")
# ... and the verbs and phrases of posting and running accounts that follow a name.
_HAN_THEN = (*_HAN_BEFORE, "上传", "发布", "运营", "介绍", "有关", "转发", "发帖", "创建", "管理",
             "控制", "联系", "组织", "领导", "的账号", "的帖子", "的频道", "的视频")
# Words after which a name comes ("由王芳上传", "账号属于陈刚").
_HAN_MARKERS = ("由", "据", "属于", "联系了", "为", "与", "和", "被", "对", "向", "给", "把", "找",
                "见", "者")
_HAN_RUN = re.compile(_HAN_CHAR + "+")




def _han_names_at(run: str, at: int) -> list[int]:
    """The lengths of surname + one or two given-name characters at ``run[at]``."""
    surname = 2 if run[at:at + 2] in _HAN_COMPOUND else 1 if run[at] in _HAN_SURNAMES else 0
    sizes: list[int] = []
    if surname:
        for given in (1, 2):
            if all(c in _HAN_GIVEN for c in run[at + surname:at + surname + given]) and \
                    at + surname + given <= len(run):
                sizes.append(surname + given)
    return sizes


def han_names(text: str) -> Iterator[Span]:
    for match in HAN_TITLED.finditer(text):
        yield match.start(), match.end(), HAN
    for match in HAN_AFTER.finditer(text):
        yield match.start(), match.end(), HAN
    for match in _HAN_RUN.finditer(text):
        run, start = match.group(), match.start()
        if len(run) in _han_names_at(run, 0):  # the name stands alone: "联系人：张伟。"
            yield start, match.end(), HAN
            continue
        for at in range(len(run)):
            first = at == 0 or run[at - 1] in "，、"
            marked = run[:at].endswith(_HAN_MARKERS)
            for size in _han_names_at(run, at) if first or marked else ():
                rest = run[at + size:]
                if rest.startswith(_HAN_THEN) or (marked and not rest):
                    yield start + at, start + at + size, HAN
                    break
