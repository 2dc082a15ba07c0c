#!/usr/bin/env bash
# Re-validate designations: screen a data release against the committed baseline.
#
#   scripts/revalidate.sh DATA_FILE BASELINE_JSON [REPORT.xlsx]
#
# Exit 0: the qualifying set is unchanged. Exit 1: a district entered, left or became
# unknown (each is named in the log). Exit 2: the data or criteria could not be read.
# In GitHub Actions the changes also appear as annotations and in the step summary.
set -uo pipefail

data="${1:?usage: scripts/revalidate.sh DATA_FILE BASELINE_JSON [REPORT.xlsx]}"
baseline="${2:?usage: scripts/revalidate.sh DATA_FILE BASELINE_JSON [REPORT.xlsx]}"
report="${3:-}"
urbanscreen="${URBANSCREEN:-urbanscreen}"

summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
# The summary: what changed, then every district (annotations come from the verdict below).
GITHUB_ACTIONS="" "$urbanscreen" diff "$baseline" "$data" --format markdown >> "$summary"
# The verdict: names each change on stderr (and as annotations in GitHub Actions), writes
# the report, and exits 1 when the qualifying set differs from the baseline.
args=(check "$data" --baseline "$baseline" --format markdown)
if [[ -n "$report" ]]; then
    args+=(--output "$report")
fi
"$urbanscreen" "${args[@]}" >> "$summary"
