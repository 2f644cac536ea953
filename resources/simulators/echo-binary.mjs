#!/usr/bin/env node
// Like echo.mjs, answering with the binary payload "data_f64" (base64 of
// little-endian float64, species-major) instead of JSON numbers.
process.stdout.write('{"v":1,"hello":"sciope-simulator"}\n');
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const { id, time } = JSON.parse(buffer.slice(0, nl));
    buffer = buffer.slice(nl + 1);
    const data = new Float64Array(3 * time.length);
    data.set(time, 0);
    data.set(time, time.length);
    data.set(time, 2 * time.length);
    process.stdout.write(`{"v":1,"id":${id},"species":["A","B","C"],"data_f64":"${Buffer.from(data.buffer).toString('base64')}"}\n`);
  }
});
