"""What changed since the last round, for the memo of round 2 and later: how far the team's
spread moved per cell (convergence) and the ranking then and now. No Django: the engine's two
result dicts and the convergence rows in, words and rows out."""
from . import wording as w


def changes_since(before: dict, now: dict, cells: list, revised: int) -> dict:
    """`cells`: policy.workshops.rounds.Convergence rows (option, criterion, iqr_before,
    iqr_now, change); `revised`: the scores of this round saved in it, not carried forward."""
    then_round, now_round = before["settings"]["round"], now["settings"]["round"]
    present = now["completeness"]["present"]
    sentences = [
        f"Round {now_round} started from each analyst’s round {then_round} scores: "
        f"{revised:,} of the {present:,} scores now in {'was' if revised == 1 else 'were'} "
        f"revised or added in round {now_round}"
        + (", the rest carried forward." if revised < present else ".")
    ]
    if cells:
        narrowed = [c for c in cells if c.change < 0]
        widened = [c for c in cells if c.change > 0]
        text = (f"Of the {w.count(len(cells), 'cell')} scored in both rounds, the spread of the "
                f"middle half of the scores narrowed on {len(narrowed)}, widened on "
                f"{len(widened)} and held on "
                f"{len(cells) - len(narrowed) - len(widened)}")
        if narrowed:
            most = narrowed[0]  # convergence() sorts the largest narrowing first
            text += (f"; most on {most.option} {most.criterion}, from {w.points(most.iqr_before)}"
                     f" to {w.points(most.iqr_now)}")
        sentences.append(text + ".")
    sentences.append(leaders(before, now))
    rows = rank_rows(before, now)
    moved = [f"{row['code']} from {row['then']} to {row['now']}" for row in rows
             if row["then"] != row["now"]]
    sentences.append(f"Ranks moved: {w.listing(moved)}." if moved
                     else "No option changed rank.")
    return {"round": then_round, "sentences": sentences, "rows": rows}


def leaders(before: dict, now: dict) -> str:
    then_round = before["settings"]["round"]
    first, last = before["winner"], now["winner"]
    if first is None and last is None:
        return f"No option could be ranked in round {then_round}, nor now."
    if first is None:
        return f"No option could be ranked in round {then_round}; now {last['option']} leads."
    if last is None:
        return f"{first['option']} led in round {then_round}; now no option can be ranked."
    if first["option"] == last["option"]:
        return (f"{last['option']} led in round {then_round} ({w.out_of_100(first['total'])}) and "
                f"leads now ({w.out_of_100(last['total'])}).")
    return (f"{first['option']} led in round {then_round} ({w.out_of_100(first['total'])}); now "
            f"{last['option']} leads ({w.out_of_100(last['total'])}).")


def rank_rows(before: dict, now: dict) -> list[dict]:
    """Each option's rank and total then and now, in today's order ("–": no rank)."""
    then = {row["option"]: row for row in before["ranking"]}
    return [
        {"code": row["option"], "title": row["title"],
         "then": (then.get(row["option"]) or {}).get("rank") or "–",
         "now": row["rank"] or "–",
         "then_total": w.out_of_100((then.get(row["option"]) or {}).get("total")),
         "now_total": w.out_of_100(row["total"])}
        for row in now["ranking"]
    ]
