"""Country names and ISO 3166 codes, for filters like `in Germany` or `in DE` (the accounts.country values)."""

from __future__ import annotations

from kpi_engine.parser.vocabulary import words

COUNTRY_NAMES: dict[str, str] = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "andorra": "AD", "angola": "AO", "argentina": "AR",
    "armenia": "AM", "australia": "AU", "austria": "AT", "azerbaijan": "AZ", "bahamas": "BS", "bahrain": "BH",
    "bangladesh": "BD", "barbados": "BB", "belarus": "BY", "belgium": "BE", "belize": "BZ", "benin": "BJ",
    "bhutan": "BT", "bolivia": "BO", "bosnia and herzegovina": "BA", "bosnia": "BA", "botswana": "BW",
    "brazil": "BR", "brunei": "BN", "bulgaria": "BG", "burkina faso": "BF", "burundi": "BI", "cambodia": "KH",
    "cameroon": "CM", "canada": "CA", "cape verde": "CV", "chile": "CL", "china": "CN", "colombia": "CO",
    "costa rica": "CR", "croatia": "HR", "cuba": "CU", "cyprus": "CY", "czechia": "CZ", "czech republic": "CZ",
    "denmark": "DK", "dominican republic": "DO", "ecuador": "EC", "egypt": "EG", "el salvador": "SV",
    "estonia": "EE", "ethiopia": "ET", "fiji": "FJ", "finland": "FI", "france": "FR", "gabon": "GA",
    "georgia": "GE", "germany": "DE", "ghana": "GH", "greece": "GR", "guatemala": "GT", "honduras": "HN",
    "hong kong": "HK", "hungary": "HU", "iceland": "IS", "india": "IN", "indonesia": "ID", "iran": "IR",
    "iraq": "IQ", "ireland": "IE", "israel": "IL", "italy": "IT", "ivory coast": "CI", "jamaica": "JM",
    "japan": "JP", "jordan": "JO", "kazakhstan": "KZ", "kenya": "KE", "kosovo": "XK", "kuwait": "KW",
    "kyrgyzstan": "KG", "laos": "LA", "latvia": "LV", "lebanon": "LB", "libya": "LY", "liechtenstein": "LI",
    "lithuania": "LT", "luxembourg": "LU", "madagascar": "MG", "malawi": "MW", "malaysia": "MY", "maldives": "MV",
    "mali": "ML", "malta": "MT", "mauritius": "MU", "mexico": "MX", "moldova": "MD", "monaco": "MC",
    "mongolia": "MN", "montenegro": "ME", "morocco": "MA", "mozambique": "MZ", "myanmar": "MM", "namibia": "NA",
    "nepal": "NP", "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "new zealand": "NZ",
    "nicaragua": "NI", "niger": "NE", "nigeria": "NG", "north macedonia": "MK", "norway": "NO", "oman": "OM",
    "pakistan": "PK", "panama": "PA", "paraguay": "PY", "peru": "PE", "philippines": "PH", "poland": "PL",
    "portugal": "PT", "puerto rico": "PR", "qatar": "QA", "romania": "RO", "russia": "RU", "rwanda": "RW",
    "saudi arabia": "SA", "senegal": "SN", "serbia": "RS", "singapore": "SG", "slovakia": "SK", "slovenia": "SI",
    "south africa": "ZA", "south korea": "KR", "korea": "KR", "spain": "ES", "sri lanka": "LK", "sudan": "SD",
    "sweden": "SE", "switzerland": "CH", "syria": "SY", "taiwan": "TW", "tanzania": "TZ", "thailand": "TH",
    "trinidad and tobago": "TT", "tunisia": "TN", "turkey": "TR", "turkiye": "TR", "uganda": "UG",
    "ukraine": "UA", "united arab emirates": "AE", "uae": "AE", "united kingdom": "GB", "uk": "GB",
    "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "united states": "US", "united states of america": "US", "usa": "US", "america": "US",
    "uruguay": "UY", "uzbekistan": "UZ", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN", "yemen": "YE",
    "zambia": "ZM", "zimbabwe": "ZW",
}  # fmt: skip
COUNTRY_CODES: frozenset[str] = frozenset(COUNTRY_NAMES.values()) | words(
    "AD AE AG AI AQ AS AW AX BL BM BQ BV CC CD CF CG CK CW CX DJ DM EH ER FK FM FO GD GF GG GI GL GM GN GP GQ GS GW "
    "GY HM HT IM IO JE KI KM KN KP KY LC LR LS MF MH MO MP MQ MR MS NC NF NR NU PF PG PM PN PS PW RE SB SC SH SJ "
    "SL SM SO SR SS ST SX SZ TC TD TF TG TJ TK TL TM TO TV UM VA VC VG VI VU WF WS YT"
)
COUNTRY_ALT = "|".join(sorted((name.replace(" ", r"\s+") for name in COUNTRY_NAMES), key=len, reverse=True))


def country_code(text: str) -> str | None:
    """`Germany` or `de` → `DE`; None when it is neither a known name nor an ISO code."""
    name = " ".join(text.lower().split())
    if name in COUNTRY_NAMES:
        return COUNTRY_NAMES[name]
    code = name.upper()
    return code if len(code) == 2 and code in COUNTRY_CODES else None
