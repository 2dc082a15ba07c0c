"""criteria.toml: the typed, versioned description of an eligibility scheme.

``model`` holds the pydantic classes of a criteria file, ``validation`` the checks across
its tables (names that exist, no circles, tiers in order), ``messages`` what a user reads
about a file written wrong, and ``load`` reading a file or a shipped preset.
"""
