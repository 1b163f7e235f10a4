def field_label(name: str) -> str:
    """`age_band` → `Age band`: stored keys shown as words (a template filter too)."""
    return str(name).replace("_", " ").capitalize()
