"""Language tags as callers give them ("en", "en-US", "da_DK"): the one reading of a tag that the
figure and date readers share."""

from __future__ import annotations

__all__ = ["language_tag", "primary_language"]


def language_tag(language: str | None) -> str | None:
    """A language tag trimmed and casefolded, with "_" read as "-" ("en_US" -> "en-us"); None
    for none or an empty one."""
    if language is None:
        return None
    return language.strip().replace("_", "-").casefold() or None


def primary_language(language: str | None) -> str | None:
    """The primary subtag of a language tag ("en" of "en-US", "da" of "da_DK"); None when there
    is none."""
    tag = language_tag(language)
    return None if tag is None else tag.split("-")[0] or None
