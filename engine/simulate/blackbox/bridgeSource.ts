/**
 * The synchronous bridge of CommandSimulator: layout of the shared memory
 * and the source of the helper thread, kept as a self-contained CommonJS
 * script (run with `new Worker(source, { eval: true })`) so that it works
 * unchanged in the CLI, in the bundled local-pool worker and in the bundled
 * remote worker, with no file to locate.
 *
 * The helper thread owns the child process and its pipes on its own event
 * loop. Both directions go through one SharedArrayBuffer: the simulating
 * thread writes a request (type, UTF-8 bytes), sets REQ = 1 and notifies;
 * the helper, parked in Atomics.waitAsync on REQ, takes it, talks to the
 * process, writes the reply (kind, UTF-8 bytes), sets REP = 1 and notifies;
 * the simulating thread, blocked in Atomics.wait on REP, reads it. A request
 * or reply larger than its region travels on the MessagePort instead
 * (receiveMessageOnPort on the other side). No time-outs here: the
 * simulating thread bounds its wait and asks for a kill.
 */
export const CTRL_INTS = 8;
export const enum Ctrl {
  req = 0, // 1 while a request waits for the helper
  rep = 1, // 1 once the reply is written
  reqType = 2,
  reqLength = 3, // bytes in the request region; -1: on the port
  repKind = 4,
  repLength = 5, // bytes in the reply region; -1: on the port
  failCode = 6,
}
export const enum RequestType {
  start = 1,
  simulate = 2,
  kill = 3,
  close = 4,
}
export const enum ReplyKind {
  line = 0,
  hello = 1,
  fail = 2,
  ack = 3,
}
export const FAILURE_KINDS = ['error', 'crash', 'timeout', 'protocol', 'missing'] as const;
export const REGION_BYTES = 256 * 1024;

export const BRIDGE_SOURCE = String.raw`
'use strict';
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { command, cwd, env, label, shared, regionBytes, port } = workerData;
const ctrl = new Int32Array(shared, 0, 8);
const reqBuf = Buffer.from(shared, 32, regionBytes);
const repBuf = Buffer.from(shared, 32 + regionBytes, regionBytes);
const FAIL = { error: 0, crash: 1, timeout: 2, protocol: 3, missing: 4 };
const TAIL = 4000;
let child = null;   // { proc, ready, dead, exit }
let stderrTail = '';
let waiting = null; // 'start' | 'simulate' | null: what the simulating thread waits for
let closed = false;
const keepAlive = setInterval(() => {}, 1 << 30);

function reply(kind, text, failCode) {
  let length = 0;
  if (text) {
    length = Buffer.byteLength(text);
    if (length > regionBytes) {
      if (kind === 0) { port.postMessage(text); length = -1; }
      else { text = text.slice(0, regionBytes >> 2); length = repBuf.write(text, 0); }
    } else repBuf.write(text, 0);
  }
  waiting = null;
  ctrl[4] = kind; ctrl[5] = length; ctrl[6] = failCode || 0;
  Atomics.store(ctrl, 1, 1);
  Atomics.notify(ctrl, 1);
}
function tail() {
  const text = stderrTail.trim();
  return text ? '\n--- stderr of ' + label + ' (last lines) ---\n' + text.split('\n').slice(-12).join('\n') : '';
}
function fail(kind, message, kill) {
  if (kill) stop();
  reply(2, message + tail(), FAIL[kind]);
}
function stop() {
  if (!child) return;
  const c = child;
  child = null;
  c.dead = true;
  try { c.proc.stdin.destroy(); } catch {}
  try { c.proc.kill('SIGKILL'); } catch {}
}
function short(text) {
  return text.length > 200 ? JSON.stringify(text.slice(0, 200)) + '...' : JSON.stringify(text);
}
const HANDSHAKE = 'expected {"v":1,"hello":"sciope-simulator"} as the first line on stdout';

function onLine(c, line) {
  if (c.dead || line.trim() === '') return;
  if (!c.ready) {
    let msg = null;
    try { msg = JSON.parse(line); } catch {}
    if (!msg || msg.hello !== 'sciope-simulator') return fail('protocol', label + ': bad handshake: ' + HANDSHAKE + ', got ' + short(line), true);
    if (msg.v !== 1) return fail('protocol', label + ': speaks protocol version ' + JSON.stringify(msg.v) + '; this Sciope speaks version 1', true);
    c.ready = true;
    return reply(1, line);
  }
  if (waiting !== 'simulate') return fail('protocol', label + ': unrequested output: ' + short(line), true);
  reply(0, line);
}

function launch() {
  stop();
  stderrTail = '';
  let proc;
  try {
    proc = spawn(command[0], command.slice(1), { cwd, env: env ? Object.assign({}, process.env, env) : process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    return fail('missing', label + ': cannot start ' + JSON.stringify(command[0]) + ': ' + error.message, false);
  }
  const c = { proc, ready: false, dead: false, exit: null };
  child = c;
  let buffer = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0 && !c.dead) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      onLine(c, line);
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => { stderrTail = (stderrTail + chunk).slice(-TAIL); });
  proc.stdin.on('error', () => {});
  proc.on('error', (error) => {
    if (c.dead) return;
    child = null;
    c.dead = true;
    if (!waiting) return;
    if (error.code === 'ENOENT') return fail('missing', label + ': command not found: ' + JSON.stringify(command[0]) + (cwd ? ' (cwd ' + cwd + ')' : '') + '; check the simulator\'s "command" and that the program is installed and on PATH', false);
    if (error.code === 'EACCES') return fail('missing', label + ': cannot execute ' + JSON.stringify(command[0]) + ' (permission denied)', false);
    fail('crash', label + ': ' + error.message, false);
  });
  proc.on('exit', (code, signal) => {
    if (c.dead) return;
    c.exit = signal ? 'was killed by ' + signal : 'exited with code ' + code;
    // Let the last stderr bytes arrive before reporting.
    setTimeout(() => {
      if (c.dead) return;
      c.dead = true;
      if (child === c) child = null;
      if (waiting === 'start') fail('protocol', label + ': ' + c.exit + ' before the handshake (' + HANDSHAKE + ')', false);
      else if (waiting === 'simulate') fail('crash', label + ': ' + c.exit + ' during a simulation', false);
      else lastExit = c.exit + tail();
    }, 20);
  });
}
let lastExit = null;

function handle(type, length) {
  if (type === 4) {
    closed = true;
    stop();
    clearInterval(keepAlive);
    port.close();
    return;
  }
  if (type === 3) { stop(); return reply(3); }
  if (type === 1) { waiting = 'start'; lastExit = null; return launch(); }
  // simulate
  const line = length >= 0 ? reqBuf.toString('utf8', 0, length) : receiveMessageOnPort(port).message;
  waiting = 'simulate';
  if (!child || !child.ready) return fail('crash', label + ': the process ' + (lastExit || 'is not running'), false);
  child.proc.stdin.write(line);
}

function loop() {
  if (closed) return;
  const result = Atomics.waitAsync(ctrl, 0, 0);
  const take = () => {
    const type = ctrl[2];
    const length = ctrl[3];
    Atomics.store(ctrl, 0, 0);
    try { handle(type, length); } catch (error) { fail('error', label + ': bridge: ' + (error && error.message), true); }
    loop();
  };
  if (result.async) result.value.then(take); else take();
}
loop();
`;
