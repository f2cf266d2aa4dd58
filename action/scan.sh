#!/usr/bin/env bash
# The Action's scan step (action.yml): a SARIF log for code scanning, annotations for the
# pull request, and the extra report FORMAT asks for. Writes `status=`, `sarif=` and
# `report=` to `$GITHUB_OUTPUT`; exits 2 or more only when tokenlint could not run.
#
# Environment: TOKENLINT (the binary), MODE (`scan` or `pull-request`), PATHS and ARGS
# (lists of words), FAIL_ON, CATEGORY, FORMAT (empty: no extra report), BASE and HEAD (the
# pull request's commits, for `pull-request`), RUNNER_TEMP, GITHUB_OUTPUT.
set -euo pipefail
# PATHS and ARGS are lists of words, split on purpose but never glob-expanded; the paths
# come after `--`, so that none is taken for an option.
set -f

fail() { # MESSAGE: an error annotation, and exit 2
  echo "::error::tokenlint: $1" >&2
  exit 2
}

case "${MODE:-scan}" in
  scan)
    # shellcheck disable=SC2206
    scope=(-- $PATHS)
    ;;
  pull-request)
    if [ -z "${BASE:-}" ] || [ -z "${HEAD:-}" ]; then
      fail "mode: pull-request runs on pull_request events, which name the base and head commits"
    fi
    for commit in "$BASE" "$HEAD"; do
      [[ "$commit" =~ ^[0-9a-f]{40,64}$ ]] || fail "'$commit' is not a commit id"
      git cat-file -e "$commit^{commit}" 2>/dev/null \
        || fail "the checkout lacks commit $commit: a shallow clone has no history to scan; give actions/checkout 'fetch-depth: 0'"
    done
    scope=(--history --range "$BASE..$HEAD")
    ;;
  *) fail "mode must be scan or pull-request, not '$MODE'" ;;
esac

extension=
case "${FORMAT:-}" in
  "") ;;
  junit) extension=xml ;;
  json | sarif | gitlab | rdjson) extension=json ;;
  text | concise | github) extension=txt ;;
  *) fail "format must be one of text, json, sarif, github, concise, gitlab, rdjson, junit, not '$FORMAT'" ;;
esac

sarif="$RUNNER_TEMP/tokenlint.sarif"
status=0
# shellcheck disable=SC2086
"$TOKENLINT" scan $ARGS --fail-on "$FAIL_ON" --format sarif --sarif-category "$CATEGORY" \
  --output "$sarif" "${scope[@]}" || status=$?
echo "status=$status" >> "$GITHUB_OUTPUT"
if [ "$status" -ge 2 ]; then
  echo "tokenlint could not run as asked (exit $status): see the message above" >&2
  exit "$status"
fi
echo "sarif=$sarif" >> "$GITHUB_OUTPUT"
# Annotations on the pull request, from a second pass.
# shellcheck disable=SC2086
"$TOKENLINT" scan $ARGS --format github "${scope[@]}" || true
if [ -n "$extension" ]; then
  report="$RUNNER_TEMP/tokenlint-report.$extension"
  # shellcheck disable=SC2086
  "$TOKENLINT" scan $ARGS --format "$FORMAT" --output "$report" "${scope[@]}" || true
  echo "report=$report" >> "$GITHUB_OUTPUT"
fi
