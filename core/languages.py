"""Languages a document can be in (a publication file, a meeting paper): ISO 639-1 codes with their English names.

The official languages of the CBSS member states and the BSR-TRM partners, and the
languages the task force's materials for victims and frontline staff are most often
translated into. English comes first, as most publications have an English edition.
Adding a code needs a migration (the list is the field's choices).
"""

_OTHER_LANGUAGES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "es": "Spanish",
    "et": "Estonian",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "hu": "Hungarian",
    "is": "Icelandic",
    "it": "Italian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "so": "Somali",
    "sv": "Swedish",
    "th": "Thai",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}

LANGUAGES = [("en", "English"), *sorted(_OTHER_LANGUAGES.items(), key=lambda item: item[1])]
LANGUAGE_NAMES = dict(LANGUAGES)
