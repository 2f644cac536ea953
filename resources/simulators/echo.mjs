#!/usr/bin/env node
// Trivial command simulator in Node for the protocol benchmark (see echo.py):
// species A, B, C each equal to the time grid.
process.stdout.write('{"v":1,"hello":"sciope-simulator"}\n');
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const { id, time } = JSON.parse(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
    process.stdout.write(JSON.stringify({ v: 1, id, species: ['A', 'B', 'C'], data: [time, time, time] }) + '\n');
  }
});
