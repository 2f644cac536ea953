#!/bin/sh
# Minimal Sciope command simulator in sh + awk (protocol v1, docs/blackbox-protocol.md):
# deterministic decay X(t) = x0 * exp(-k t). Declare it as
#   {"kind": "command", "command": ["sh", "decay.sh"],
#    "parameters": [{"id": "k", "value": 0.5}, {"id": "x0", "value": 10}], "species": ["X"]}
# No JSON library: the request's fields are picked out with match(), enough for
# the fixed request shape. mawk buffers its input unless run with -W interactive.
AWK=awk
if awk -W version 2>/dev/null | grep -q mawk; then AWK="awk -W interactive"; fi
exec $AWK '
BEGIN { print "{\"v\":1,\"hello\":\"sciope-simulator\"}"; fflush() }
{
  match($0, /"id":[0-9]+/);           id = substr($0, RSTART + 5, RLENGTH - 5)
  k = 1; x0 = 1
  if (match($0, /"k":[-0-9.eE+]+/))  k  = substr($0, RSTART + 4, RLENGTH - 4) + 0
  if (match($0, /"x0":[-0-9.eE+]+/)) x0 = substr($0, RSTART + 5, RLENGTH - 5) + 0
  match($0, /"time":\[[^\]]*\]/);    n = split(substr($0, RSTART + 8, RLENGTH - 9), t, ",")
  row = ""
  for (i = 1; i <= n; i++) row = row (i > 1 ? "," : "") sprintf("%.17g", x0 * exp(-k * t[i]))
  print "{\"v\":1,\"id\":" id ",\"species\":[\"X\"],\"data\":[[" row "]]}"; fflush()
}'
