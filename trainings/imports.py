"""Reading a participants file (CSV or XLSX) and checking every row before anything is saved.

The preview shows each row with its errors; nothing is imported until the trainer
confirms, and only when no row has an error. The checked rows travel to the confirm
step in a signed token (no server-side state), and are checked again there, because
registrations may have changed in between.
"""

from dataclasses import dataclass, field

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django_countries import countries

from core.spreadsheets import ImportFileError, read_uploaded_table
from trainings.models import ParticipantGender, Training

COLUMNS = ["name", "email", "organisation", "country", "profession", "gender", "consent"]
REQUIRED_COLUMNS = ["name", "email", "consent"]
MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
TOKEN_SALT = "trainings.import"  # noqa: S105 -- a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60
YES = {"yes", "y", "true", "1", "x", "ja", "jah", "tak", "taip"}
NO = {"no", "n", "false", "0", ""}


@dataclass
class ImportRow:
    number: int  # the line in the file, the header being line 1
    values: dict
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class ParticipantRowForm(forms.Form):
    full_name = forms.CharField(max_length=200)
    email = forms.EmailField(max_length=254)
    organisation = forms.CharField(max_length=200, required=False)
    country = forms.CharField(required=False)
    profession = forms.CharField(max_length=150, required=False)
    gender = forms.CharField(required=False)
    consent = forms.CharField(required=False)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_country(self):
        text = self.cleaned_data["country"].strip()
        if not text:
            return ""
        code = countries.by_name(text) or (text.upper() if text.upper() in dict(countries) else "")
        if not code:
            raise ValidationError(f"Unknown country “{text}”: use its name or two-letter code.")
        return code

    def clean_gender(self):
        text = self.cleaned_data["gender"].strip().lower()
        if not text:
            return ""
        for code, label in ParticipantGender.choices:
            if text in (code, str(label).lower()):
                return code
        raise ValidationError(f"Unknown gender “{text}”: use woman, man, other or undisclosed, or leave it empty.")

    def clean_consent(self):
        text = self.cleaned_data["consent"].strip().lower()
        if text in YES:
            return True
        if text in NO:
            raise ValidationError("Consent to processing is required (write “yes”).")
        raise ValidationError(f"Consent “{text}” is not understood: write “yes”.")


def _normalise_header(cell) -> str:
    return str(cell or "").strip().lower().replace(" ", "_")


def read_table(upload) -> list[list[str]]:
    """The file's rows, as text, from a .csv or .xlsx upload (core.spreadsheets), within this
    import's limits; ImportFileError says what is wrong."""
    return read_uploaded_table(upload, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def parse_rows(table: list[list[str]]) -> list[ImportRow]:
    header = [_normalise_header(cell) for cell in table[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column and column not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        if unknown:
            parts.append(f"unknown column{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}")
        raise ImportFileError(
            f"The columns are not right ({'; '.join(parts)}). The first row must name the columns: "
            f"{', '.join(COLUMNS)}."
        )
    if len(table) == 1:
        raise ImportFileError("The file has column names but no participants.")
    if len(table) - 1 > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS} participants; split it.")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {column: (cells[index].strip() if index < len(cells) else "") for index, column in enumerate(header)}
        rows.append(ImportRow(number=number, values={column: values.get(column, "") for column in COLUMNS}))
    return rows


def validate_rows(training: Training, rows: list[ImportRow]) -> list[ImportRow]:
    """Check every row on its own, against the others, and against the training's registrations."""
    existing = {email.lower() for email in training.registrations.exclude(email="").values_list("email", flat=True)}
    seen: dict[str, int] = {}
    for row in rows:
        values = dict(row.values)
        values["full_name"] = values.pop("name", "")
        form = ParticipantRowForm(values)
        row.errors = []
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = "name" if name == "full_name" else name
                row.errors += [f"{label}: {error}" for error in errors]
            continue
        row.data = form.cleaned_data
        email = row.data["email"]
        if email in existing:
            row.errors.append(f"email: {email} is already registered for this training.")
        elif email in seen:
            row.errors.append(f"email: {email} is also on row {seen[email]} of this file.")
        else:
            seen[email] = row.number
    return rows


def rows_token(training: Training, rows: list[ImportRow]) -> str:
    payload = {"training": training.pk, "rows": [{"number": row.number, "values": row.values} for row in rows]}
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


def rows_from_token(training: Training, token: str) -> list[ImportRow]:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ImportFileError("The preview has expired or was altered. Upload the file again.") from None
    if payload.get("training") != training.pk:
        raise ImportFileError("That preview belongs to another training. Upload the file again.")
    return [ImportRow(number=row["number"], values=row["values"]) for row in payload["rows"]]
