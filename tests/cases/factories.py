import io
import zipfile

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.models import Case, CaseGroupObjectPermission, ExploitationForm
from cases.selectors import cases_changed
from members.models import Role
from members.roles import team_group

# The smallest file puremagic recognises as a PDF.
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def make_case(ncp, **data) -> Case:
    """A case opened by `ncp` in their state, through the service (so grants are made)."""
    forms = data.pop("forms", ["labour"])
    return services.case_create(
        member_state=ncp.member_state,
        by=ncp,
        data={"case_worker": ncp, **data},
        m2m={"forms_of_exploitation": ExploitationForm.objects.filter(code__in=forms)},
    )


def pdf_upload(name: str = "report.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(root) -> list:
    """Every file under a storage folder."""
    return sorted(path for path in root.rglob("*") if path.is_file())


def docx_bytes() -> bytes:
    """A minimal Word document: a zip with the parts Word itself needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Statement</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def bulk_cases(member_state, count: int, *, forms=("labour",), year: int | None = None, **fields) -> None:
    """`count` cases of one state in a few queries, with the NCP team's grants that
    cases.services.case_create would make (but no audit entries); registered this year
    unless `year` is given."""
    year = year or timezone.localdate().year
    last = Case.objects.filter(member_state=member_state, year=year).order_by("-sequence").first()
    start = (last.sequence if last else 0) + 1
    cases = Case.objects.bulk_create(
        [
            Case(
                member_state=member_state,
                year=year,
                sequence=sequence,
                reference=f"{member_state.code}-{year}-{sequence:04d}",
                **fields,
            )
            for sequence in range(start, start + count)
        ]
    )
    if not cases[0].pk:  # backends that do not return primary keys from bulk_create
        cases = list(Case.objects.filter(member_state=member_state, year=year, sequence__gte=start))
    group = team_group(member_state, Role.NCP)
    permissions = Permission.objects.filter(
        content_type__app_label="cases",
        codename__in=[name.split(".")[1] for name in services.TEAM_CASE_PERMISSIONS],
    )
    CaseGroupObjectPermission.objects.bulk_create(
        [
            CaseGroupObjectPermission(group=group, permission=permission, content_object=case)
            for case in cases
            for permission in permissions
        ]
    )
    exploitation_forms = list(ExploitationForm.objects.filter(code__in=forms))
    through = Case.forms_of_exploitation.through
    through.objects.bulk_create(
        [through(case=case, exploitationform=form) for case in cases for form in exploitation_forms]
    )
    # bulk_create sends no post_save: say what case_create's saves would have said.
    cases_changed(member_state_id=member_state.pk)
