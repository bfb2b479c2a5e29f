"""Links in a message, and which of them are suspicious (``links`` in lexicon.yaml)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from duecourse.compliance.message.lexicon import LinkRules
from duecourse.compliance.message.normalise import Normalised

#: Top-level domains a link may end in without a scheme or ``www.`` before it.
_COMMON_TLDS = "com|cn|net|org|gov|edu|io|co|hk|tw|us|uk|jp"
#: The characters a link is written with (after normalisation, so full-width ones are ASCII).
_URL_CHARS = r"[a-z0-9\-._~:/?#\[\]@!$&*+;=%]"
_LINK = re.compile(
    rf"(?<![@a-z0-9.])(?:https?://{_URL_CHARS}+"
    rf"|www\.{_URL_CHARS}+"
    rf"|(?:[a-z0-9\-]+\.)+[a-z]{{2,12}}(?::\d+)?(?:/{_URL_CHARS}*)?)",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?([^/:?#]+)", re.IGNORECASE)
#: Second-level labels under a country code (``bank.com.cn``, ``lender.co.uk``).
_SECOND_LEVEL = frozenset({"com", "net", "org", "co", "ac", "gov", "edu"})
#: Country names sold as second levels under a generic domain (``zx-pbccrc.cn.com``).
_PSEUDO_SECOND_LEVEL = frozenset({"cn.com", "us.com", "uk.com", "eu.com", "hk.com", "cn.net"})
_IP = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def _reasons(host: str, rules: LinkRules, full_width: bool, has_path: bool) -> list[str]:
    if any(host == s or host.endswith("." + s) for s in rules.trusted_suffixes):
        return []
    labels = host.split(".")
    tld = labels[-1]
    second_level = labels[-2] in _SECOND_LEVEL or ".".join(labels[-2:]) in _PSEUDO_SECOND_LEVEL
    site = labels[-3] if len(labels) >= 3 and second_level else labels[-2]
    reasons = []
    if _IP.match(host):
        reasons.append("以IP地址代替域名 an IP address instead of a domain")
    # a one- or two-letter first label before a path is a shortener's (``s.yam.com/Xk29``), but
    # ``m.`` is the mobile site of the domain itself
    short_host = len(labels) >= 3 and len(labels[0]) <= 2 and labels[0] != "m" and has_path
    if host in rules.shorteners or ".".join(labels[-2:]) in rules.shorteners or short_host:
        reasons.append("短链接隐藏真实地址 a short link hides the real address")
    if tld in rules.odd_tlds:
        reasons.append(f"少见的顶级域名 .{tld} an unusual top-level domain")
    if "xn--" in host:
        reasons.append("国际化域名仿冒 a look-alike international domain")
    if "-" in site or re.search(r"\d", site):
        reasons.append("仿冒品牌的域名 a look-alike domain")
    if site not in rules.brand_sites and any(_one_off(site, b) for b in rules.brand_sites):
        reasons.append("仿冒品牌的域名 a look-alike domain")
    if any(w in site for w in rules.bait_words):
        reasons.append("域名含诱导词 a bait word in the domain")
    if full_width:
        reasons.append("全角字符书写的网址 a link written in full-width characters")
    return reasons


def _one_off(site: str, brand: str) -> bool:
    """Whether ``site`` is ``brand`` with one letter changed, added, dropped or two letters
    swapped (``cmbchlna`` for ``cmbchina``)."""
    if abs(len(site) - len(brand)) > 1 or site == brand:
        return False
    if len(site) == len(brand):
        diff = [i for i, (a, b) in enumerate(zip(site, brand, strict=True)) if a != b]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and site[diff[0]] == brand[diff[1]]
            and site[diff[1]] == brand[diff[0]]
        )
    short, long_ = sorted((site, brand), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def has_link(text: str) -> bool:
    """Whether a normalised text holds something written like a link."""
    return "." in text and _LINK.search(text) is not None


def suspicious_links(
    original: str, norm: Normalised, rules: LinkRules
) -> Iterator[tuple[int, int, str]]:
    """``(start, end, why)`` in the normalised text for each suspicious link."""
    if "." not in norm.text:
        return
    for m in _LINK.finditer(norm.text):
        link = m.group(0).rstrip(".,")
        host_match = _HOST.match(link)
        if not host_match:
            continue
        host = host_match.group(1).lower().rstrip(".")
        has_scheme = link.lower().startswith(("http", "www."))
        tld = host.rsplit(".", 1)[-1]
        plain = not (has_scheme or _IP.match(host) or "/" in link or "-" in host)
        if plain and not re.fullmatch(_COMMON_TLDS, tld) and tld not in rules.odd_tlds:
            continue
        start, end = norm.original_span(m.start(), m.start() + len(link))
        full_width = not original[start:end].isascii()
        reasons = _reasons(host, rules, full_width, "/" in link.split("//", 1)[-1])
        if reasons:
            yield m.start(), m.start() + len(link), f"「{link}」" + "；".join(reasons)
