from cases import services
from cases.models import Case, ExploitationForm


def make_case(ncp, **data) -> Case:
    """A case opened by `ncp` in their state, through the service (so grants are made)."""
    forms = data.pop("forms", ["labour"])
    return services.case_create(
        member_state=ncp.member_state,
        by=ncp,
        data={"case_worker": ncp, **data},
        m2m={"forms_of_exploitation": ExploitationForm.objects.filter(code__in=forms)},
    )
