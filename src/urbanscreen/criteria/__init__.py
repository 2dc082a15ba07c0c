"""criteria.toml: the typed, versioned description of an eligibility scheme.

``forms`` holds the values with several forms (rules, thresholds, references), ``entries``
one entry of each table, ``order`` the order references and outcomes are computed in,
``validation`` the checks across tables (names that exist, no circles, tiers in order),
``model`` the whole file, ``messages`` what a user reads about a file written wrong, and
``load`` reading a file or a shipped preset.
"""
