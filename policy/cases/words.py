"""Plain words for what a change touches: counts and lists said as in a sentence."""
from ..scoring.names import word_for


def count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {word_for(n, noun, plural)}"


def join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def codes(singular: str, plural: str, codes: list[str]) -> str:
    return f"{word_for(len(codes), singular, plural)} {join(codes)}"
