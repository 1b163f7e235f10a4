"""reporting.checks: negatives, missing figures, reasons for what is not given, breakdowns
that add up to their total (or an explanation), and the year-on-year warning."""

from dataclasses import dataclass

from reporting.checks import ERROR, WARNING, check_return, has_errors


@dataclass
class I:  # noqa: E742 - an indicator, as the checks see one
    code: str
    label: str = ""
    kind: str = "number"
    total_code: str = ""
    breakdown: str = ""


@dataclass
class V:
    number: int | None = None
    status: str = "given"
    text: str = ""
    note: str = ""


INDICATORS = [
    I("victims"),
    I("victims.sex.female", total_code="victims", breakdown="sex"),
    I("victims.sex.male", total_code="victims", breakdown="sex"),
    I("section", kind="text"),
]


def _problems(values, **kwargs):
    return [(p.code, p.level) for p in check_return(INDICATORS, values, **kwargs)]


def test_a_complete_return_that_adds_up_has_no_problem():
    values = {"victims": V(10), "victims.sex.female": V(6), "victims.sex.male": V(4)}
    assert _problems(values) == []


def test_a_missing_figure_and_a_negative_one_are_errors():
    problems = check_return(INDICATORS, {"victims": V(-1), "victims.sex.female": V(0), "victims.sex.male": V(0)})
    assert {(p.code, p.level) for p in problems} == {("victims", ERROR)}
    assert "cannot be negative" in problems[0].message
    assert ("victims.sex.male", ERROR) in _problems({"victims": V(0), "victims.sex.female": V(0)})


def test_not_available_or_confidential_needs_a_note_and_skips_the_sum():
    values = {"victims": V(10), "victims.sex.female": V(status="confidential"), "victims.sex.male": V(4)}
    assert _problems(values) == [("victims.sex.female", ERROR)]
    values["victims.sex.female"].note = "Fewer than five: national rules."
    assert _problems(values) == []


def test_a_breakdown_that_does_not_add_up_is_an_error_unless_explained():
    values = {"victims": V(10), "victims.sex.female": V(6), "victims.sex.male": V(3)}
    problems = check_return(INDICATORS, values)
    assert [(p.code, p.level) for p in problems] == [("victims", ERROR)]
    assert "adds up to 9, not 10" in problems[0].message
    values["victims"].note = "One victim's sex was not recorded."
    assert not has_errors(check_return(INDICATORS, values))


def test_a_value_far_from_last_year_gets_a_warning_not_an_error():
    values = {"victims": V(30), "victims.sex.female": V(20), "victims.sex.male": V(10)}
    problems = check_return(INDICATORS, values, previous={"victims": 10, "victims.sex.female": 15}, change_warning=0.5)
    assert [(p.code, p.level) for p in problems] == [("victims", WARNING)]
    assert "200% more than last year's 10" in problems[0].message
    assert not has_errors(problems)
