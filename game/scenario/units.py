"""How amounts of money are written for people: the one money formatter.

Scenario files give money in $M. One decimal of a million hides the difference
between a $0.12M liaison and a $0.15M go-around (both "$0.1M") and makes shown
parts disagree with their shown sum, so amounts under $1M are written in whole
thousands and larger ones to a hundredth of a million.
"""

from __future__ import annotations


def money(x: float) -> str:
    """$M as "$120k", "$0", "$1.15M", "$2.4M" (a minus sign in front when negative)."""
    sign = "-" if x < 0 else ""
    a = abs(float(x))
    k = round(a * 1000)
    if k == 0:
        return "$0"
    if k < 1000:
        return f"{sign}${k}k"
    m = f"{a:.2f}"
    if m.endswith("0"):
        m = m[:-1]
    return f"{sign}${m}M"


__all__ = ["money"]
