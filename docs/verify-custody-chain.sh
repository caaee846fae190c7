#!/usr/bin/env bash
# Re-verifies a Caseward case's custody chain with nothing but bash, sqlite3 and sha256sum,
# following docs/custody-chain.md. Usage: verify-custody-chain.sh CASE_FOLDER [EXPECTED_HEAD_HASH]
set -euo pipefail
db="${1:?usage: verify-custody-chain.sh CASE_FOLDER [EXPECTED_HEAD_HASH]}/case.sqlite"
prev=0000000000000000000000000000000000000000000000000000000000000000
expect=1
query="SELECT seq, prev_hash, hash, json_object('action', action, 'artifactId', artifact_id, 'at', at,
  'details', json(details), 'examiner', examiner, 'prevHash', prev_hash, 'seq', seq,
  'workstation', workstation) FROM custody_events ORDER BY seq"
while IFS=$'\t' read -r seq stored_prev stored_hash canonical; do
  [ "$seq" = "$expect" ] || { echo "BROKEN at event $seq: expected event $expect here (events missing)"; exit 1; }
  [ "$stored_prev" = "$prev" ] || { echo "BROKEN at event $seq: its prevHash is not event $((seq - 1))'s hash"; exit 1; }
  actual=$(printf '%s' "$canonical" | sha256sum | cut -d' ' -f1)
  [ "$actual" = "$stored_hash" ] || { echo "BROKEN at event $seq: contents do not match its hash"; exit 1; }
  prev=$stored_hash
  expect=$((seq + 1))
done < <(sqlite3 -readonly -noheader -separator $'\t' "$db" "$query")
if [ -n "${2:-}" ] && [ "$2" != "$prev" ]; then
  echo "BROKEN: the chain ends at event $((expect - 1)) with head $prev, not the expected head $2"
  exit 1
fi
echo "OK: $((expect - 1)) events, head $prev"
