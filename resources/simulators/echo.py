#!/usr/bin/env python3
"""Trivial command simulator for the protocol benchmark: returns species A, B, C,
each equal to the time grid (no simulation at all), so what is measured is the
protocol's cost: JSON in, JSON out, pipes and the synchronous bridge."""
import json
import sys

sys.stdout.write('{"v":1,"hello":"sciope-simulator"}\n')
sys.stdout.flush()
for line in sys.stdin:
    request = json.loads(line)
    time = request["time"]
    sys.stdout.write(json.dumps({"v": 1, "id": request["id"], "species": ["A", "B", "C"], "data": [time, time, time]}, separators=(",", ":")) + "\n")
    sys.stdout.flush()
