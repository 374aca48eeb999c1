"""Small builders for tests: a case, a workshop with members, scores. Plain functions."""
from django.contrib.auth import get_user_model

from policy.models import Case, Criterion, Membership, Option, Principle, Score, Workshop

User = get_user_model()


def make_user(username: str, password: str = "pass-word-123") -> "User":
    return User.objects.create_user(username=username, password=password)


def make_case(slug: str = "tiny", options: int = 3, criteria: int = 2, **fields) -> Case:
    """A case with options O1.. and benefit criteria C1.. on 0-10, default weight 1."""
    case = Case.objects.create(
        slug=slug,
        title=fields.pop("title", f"Case {slug}"),
        question=fields.pop("question", "Which option should we choose?"),
        decider=fields.pop("decider", "The team"),
        **fields,
    )
    principle = Principle.objects.create(
        case=case, code="P1", title="Principle one", statement="Hold to this."
    )
    for i in range(1, options + 1):
        Option.objects.create(case=case, code=f"O{i}", title=f"Option {i}", position=i)
    for i in range(1, criteria + 1):
        Criterion.objects.create(
            case=case,
            code=f"C{i}",
            title=f"Criterion {i}",
            kind=Criterion.Kind.ALIGNMENT if i == 1 else Criterion.Kind.FEASIBILITY,
            principle=principle if i == 1 else None,
            position=i,
            anchors={"0": "None at all", "5": "Some", "10": "Fully"},
        )
    return case


def make_workshop(
    case: Case, analysts: int = 2, facilitator: str = "fac", **fields
) -> Workshop:
    """An open workshop with a facilitator and analysts ana1, ana2..."""
    fac = User.objects.filter(username=facilitator).first() or make_user(facilitator)
    workshop = Workshop.objects.create(
        case=case,
        title=fields.pop("title", f"Workshop on {case.slug}"),
        status=fields.pop("status", Workshop.Status.OPEN),
        created_by=fac,
        **fields,
    )
    Membership.objects.create(workshop=workshop, user=fac, role=Membership.Role.FACILITATOR)
    for i in range(1, analysts + 1):
        name = f"ana{i}"
        user = User.objects.filter(username=name).first() or make_user(name)
        Membership.objects.create(workshop=workshop, user=user, role=Membership.Role.ANALYST)
    return workshop


def score(workshop: Workshop, analyst: str, option: str, criterion: str, value: float,
          rationale: str = "", round: int = 1) -> Score:
    return Score.objects.create(
        workshop=workshop,
        round=round,
        analyst=User.objects.get(username=analyst),
        option=workshop.case.options.get(code=option),
        criterion=workshop.case.criteria.get(code=criterion),
        value=value,
        rationale=rationale,
    )


def revise(workshop: Workshop, analyst: str, option: str, criterion: str, value: float,
           rationale: str = "", round: int = 2) -> Score:
    """The analyst's score saved in a later round, replacing the one carried forward into it."""
    saved, _ = Score.objects.update_or_create(
        workshop=workshop,
        round=round,
        analyst=User.objects.get(username=analyst),
        option=workshop.case.options.get(code=option),
        criterion=workshop.case.criteria.get(code=criterion),
        defaults={"value": value, "rationale": rationale, "carried_from": None},
    )
    return saved
