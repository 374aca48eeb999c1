"""Plain words for what a change touches: counts and lists said as in a sentence."""


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def join(items: list[str]) -> str:
    items = list(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def codes(singular: str, plural: str, codes: list[str]) -> str:
    return f"{singular if len(codes) == 1 else plural} {join(codes)}"
