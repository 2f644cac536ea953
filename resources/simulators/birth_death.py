#!/usr/bin/env python3
"""Linear birth-death process as a Sciope black-box command simulator.

    X -> 2X  at rate lambda * X      (birth)
    X -> 0   at rate mu * X          (death)

exact stochastic simulation (Gillespie's direct method, doi:10.1021/j100540a008)
in pure Python, speaking the JSON-lines protocol v1 of docs/blackbox-protocol.md:

    stdout, first line:  {"v":1,"hello":"sciope-simulator"}
    stdin, per line:     {"v":1,"id":7,"parameters":{"lambda":0.3,"mu":0.6,"x0":100},"seed":123,"time":[0,0.2,...]}
    stdout, per line:    {"v":1,"id":7,"species":["X"],"data":[[100,96,...]]}
                    or:  {"v":1,"id":7,"error":"message"}

The seed makes each simulation reproducible: the same (parameters, seed,
time) always give the same trajectory. The mean is x0 * exp((lambda - mu) t).

Declare it in a study as
    "model": {"simulator": {"kind": "command", "command": ["python3", "birth_death.py"],
              "parameters": [{"id": "lambda", "value": 0.3}, {"id": "mu", "value": 0.6}, {"id": "x0", "value": 100}],
              "species": ["X"]}}
"""
import json
import math
import random
import sys


def simulate(parameters, seed, time):
    birth = float(parameters.get("lambda", 0.3))
    death = float(parameters.get("mu", 0.6))
    x = int(round(parameters.get("x0", 100)))
    if birth < 0 or death < 0 or x < 0:
        raise ValueError("lambda, mu and x0 must be >= 0")
    rng = random.Random(seed)
    out = []
    t = 0.0
    total = birth + death
    for target in time:
        while x > 0:
            dt = rng.expovariate(total * x)
            if t + dt > target:
                # Memoryless: restart the clock at the output time.
                t = target
                break
            t += dt
            x += 1 if rng.random() * total < birth else -1
        else:
            t = target
        out.append(x)
    return out


def main():
    write = sys.stdout.write
    write(json.dumps({"v": 1, "hello": "sciope-simulator", "name": "birth-death"}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            data = simulate(request["parameters"], request["seed"], request["time"])
            reply = {"v": 1, "id": request["id"], "species": ["X"], "data": [data]}
        except Exception as error:  # a structured error: the host reports it, the process lives on
            reply = {"v": 1, "id": request.get("id"), "error": str(error)}
        write(json.dumps(reply, separators=(",", ":")) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
