"""Words a taxonomy label may never contain: faiths, peoples and nationalities.

A label says what content does (``behaviour:recruitment``) or which
organisation produced it (``entity:...``), never who its authors or targets
are by faith, ethnicity or nationality. Partners distrust a shared taxonomy
that singles out a people or a faith ("double standards"), so Accord refuses
such labels outright rather than leaving them to curators' judgement.

Matching is on whole tokens: text is lower-cased and split on anything that
is not a letter or digit, so ``violent-islamist`` and ``Violent Islamist``
both match ``islamist`` while ``islamophobia`` or ``arabesque`` do not.
Multi-word terms (``sri-lankan``) match consecutive tokens. A plural ``s``
is tolerated (``kurds`` matches ``kurd``).

The lists are deliberately inclusive; a term that blocks a legitimate label
is a bug to report, not to work around with spelling.
"""

from __future__ import annotations

import re

from accord.errors import Phrase

# Faiths, their adherents and the doctrines named after them.
_FAITH = """
    islam islamic islamist islamists islamism islamo muslim moslem
    jihad jihadi jihadist jihadism salafi salafist salafism wahhabi wahhabist
    wahhabism takfiri deobandi sharia
    christian christianity christendom catholic catholicism protestant
    anglican evangelical mormon pentecostal
    jew jewish judaism hebrew
    hindu hinduism hindutva buddhist buddhism sikh sikhism jain jainism
    shia shiite shi-a shi-ite sunni sufi sufism alawite alawi ismaili druze
    yazidi yezidi ahmadi ahmadiyya baha-i zoroastrian taoist confucian shinto
    odinist odinism asatru
"""

# Peoples and ethnic groups (a sample of those most often named in
# counter-terrorism discourse, plus continental and racial group terms).
_PEOPLE = """
    arab arabic kurd kurdish pashtun pathan tamil uyghur uighur baloch baluch
    balochi berber amazigh tuareg fulani fula peul hausa yoruba igbo hazara
    chechen ingush dagestani rohingya moro sinhalese sinhala punjabi sindhi
    kashmiri naga mizo assamese bengali basque catalan corsican breton
    flemish walloon roma romani gypsy sami inuit aboriginal maori hispanic
    latino latina latinx slav slavic aryan caucasian persian malay tibetan
    mongol manchu zhuang hui circassian tatar bosniak
    african asian european middle-eastern latin-american north-african
    african-american
"""

# Nationalities: the common adjectival form (and noun where it differs) for
# the UN member states and a few widely used others.
_NATIONALITY = """
    afghan albanian algerian andorran angolan antiguan barbudan argentine
    argentinian armenian australian austrian azerbaijani azeri bahamian
    bahraini bangladeshi barbadian belarusian belgian belizean beninese
    bhutanese bolivian bosnian herzegovinian botswanan motswana batswana
    brazilian bruneian bulgarian burkinabe burundian cabo-verdean
    cape-verdean cambodian cameroonian canadian central-african chadian
    chilean chinese colombian comoran comorian congolese costa-rican ivorian
    croatian croat cuban cypriot czech danish dane djiboutian dominican
    ecuadorian egyptian salvadoran equatoguinean equatorial-guinean eritrean
    swazi ethiopian fijian finnish finn french gabonese gambian georgian
    german ghanaian greek grenadian guatemalan guinean bissau-guinean
    guyanese haitian honduran hungarian icelandic icelander indian
    indonesian iranian iraqi irish israeli italian jamaican japanese
    jordanian kazakh kazakhstani kenyan i-kiribati korean north-korean
    south-korean kuwaiti kyrgyz kyrgyzstani lao laotian latvian lebanese
    basotho mosotho liberian libyan liechtensteiner lithuanian
    luxembourgish luxembourger malagasy malawian malaysian maldivian malian
    maltese marshallese mauritanian mauritian mexican micronesian moldovan
    monegasque mongolian montenegrin moroccan mozambican burmese myanma
    namibian nauruan nepali nepalese dutch netherlander new-zealander
    nicaraguan nigerien nigerian macedonian norwegian omani pakistani
    palauan palestinian panamanian papua-new-guinean papuan paraguayan
    peruvian filipino filipina philippine polish portuguese qatari romanian
    russian rwandan kittitian nevisian saint-lucian vincentian samoan
    sammarinese santomean saudi senegalese serbian serb seychellois
    sierra-leonean singaporean slovak slovakian slovenian slovene
    solomon-islander somali somalian south-african south-sudanese spanish
    spaniard sri-lankan sudanese surinamese swedish swede swiss syrian tajik
    tajikistani tanzanian thai timorese togolese tongan trinidadian
    tobagonian tunisian turkish turk turkmen tuvaluan ugandan ukrainian
    emirati british briton english scottish scots welsh northern-irish
    american uruguayan uzbek uzbekistani vanuatuan ni-vanuatu venezuelan
    vietnamese yemeni zambian zimbabwean taiwanese kosovar kosovan sahrawi
"""

# Simplified Chinese terms for the same ideas, matched as substrings (Chinese
# is written without spaces). Only the faith words are listed: Chinese
# demonyms are built from country names and are rare in a title.
_FAITH_ZH = (
    "伊斯兰", "穆斯林", "回教", "圣战", "萨拉菲", "瓦哈比", "基督", "天主",
    "新教", "犹太", "印度教", "佛教", "锡克", "什叶", "逊尼", "苏菲",
)

FORBIDDEN_TERMS: frozenset[str] = frozenset((_FAITH + _PEOPLE + _NATIONALITY).split())
"""Every refused term, hyphen-joined where it has several tokens."""

FORBIDDEN_TERMS_ZH: tuple[str, ...] = _FAITH_ZH
"""Refused Simplified Chinese terms, matched as substrings."""

REFUSAL = Phrase(
    "taxonomy labels may not name a faith, people or nationality; label what the "
    "content does (behaviour:...) or which organisation produced it (entity:...)"
)
"""The sentence every refusal quotes, so users learn the rule, not just the word."""
REFUSAL_REASON = str(REFUSAL)

_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_MAX_TERM_TOKENS = max(term.count("-") + 1 for term in FORBIDDEN_TERMS)


def _tokens(text: str) -> list[str]:
    return [token for token in _TOKEN_SPLIT.split(text.lower()) if token]


def _is_forbidden(candidate: str) -> bool:
    if candidate in FORBIDDEN_TERMS:
        return True
    return candidate.endswith("s") and candidate[:-1] in FORBIDDEN_TERMS


def forbidden_terms_in(text: str) -> list[str]:
    """Return the refused terms found in ``text`` as whole tokens, in order.

    ``forbidden_terms_in("ideology:violent-islamist")`` is ``["islamist"]``; an
    empty list means the text may be used in a label. Simplified Chinese faith
    words are found as substrings.
    """
    tokens = _tokens(text)
    found: list[str] = []
    for start in range(len(tokens)):
        for length in range(1, _MAX_TERM_TOKENS + 1):
            if start + length > len(tokens):
                break
            candidate = "-".join(tokens[start : start + length])
            if _is_forbidden(candidate) and candidate not in found:
                found.append(candidate)
    found.extend(term for term in FORBIDDEN_TERMS_ZH if term in text)
    return found
