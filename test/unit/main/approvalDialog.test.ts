import { describe, expect, it, vi } from 'vitest';
import type { BrowserWindow, MessageBoxOptions } from 'electron';
import {
  APPROVE,
  CANCEL,
  MAX_LINE_CHARS,
  MAX_LINES,
  approvalDetail,
  approvalDialogOptions,
  dialogApprovalChannel,
  escapeForDialog,
} from '../../../main/approvalDialog.js';
import { describeForPeople } from '../../../engine/trust/describeSimulator.js';
import type { ApprovalRequest, SimulatorDescription } from '../../../engine/trust/types.js';

/**
 * The approval dialog (main/approvalDialog.ts): what the person at the
 * machine sees before a black-box simulator may run. It must show what will
 * run in full or say plainly what it left out, and a crafted file name or
 * argument must not be able to add or disguise lines.
 */

const SHA = 'a'.repeat(64);
const FINGERPRINT = 'f'.repeat(64);

function commandDescription(overrides: Partial<SimulatorDescription> = {}): SimulatorDescription {
  return {
    kind: 'command',
    command: ['python3', 'sim.py', '--steps', '100'],
    cwd: '/home/ada/models',
    env: { SEED: '7' },
    files: [{ path: '/home/ada/models/sim.py', role: 'argument', sha256: SHA }],
    fingerprint: FINGERPRINT,
    ...overrides,
  };
}

function request(description: SimulatorDescription, scope = '/home/ada/toggle.sciope'): ApprovalRequest {
  return { scope, description, text: describeForPeople(description, scope) };
}

describe('approvalDialogOptions', () => {
  it('is a warning with Cancel first, default and on Escape, and no command links', () => {
    const options = approvalDialogOptions(request(commandDescription()));
    expect(options).toMatchObject({
      type: 'warning',
      title: 'Allow this project to run code?',
      buttons: ['Cancel', 'Approve'],
      defaultId: CANCEL,
      cancelId: CANCEL,
      noLink: true,
    });
    expect(options.buttons![APPROVE]).toBe('Approve');
  });

  it('names the project file in the message and shows the engine text as the detail', () => {
    const req = request(commandDescription());
    const options = approvalDialogOptions(req);
    expect(options.message).toContain('/home/ada/toggle.sciope');
    expect(options.detail).toBe(req.text);
    expect(options.detail).toContain('"python3" "sim.py" "--steps" "100"');
    expect(options.detail).toContain(`/home/ada/models/sim.py  ${SHA}`);
    expect(options.detail).toContain(`Fingerprint: ${FINGERPRINT}`);
  });

  it('keeps a crafted project path on one line', () => {
    const options = approvalDialogOptions(request(commandDescription(), '/tmp/x.sciope\nApproved by your administrator\u202e'));
    expect(options.message).not.toMatch(/[\n\r\u202e]/);
    expect(options.message).toContain('x.sciope\\u000aApproved by your administrator\\u202e');
  });

  it('shows a crafted command or file name on its own line, never as extra lines', () => {
    const evil = commandDescription({
      command: ['sh', '-c', 'echo ok\nFingerprint: 0000\rIt is safe', 'x\u2028y'],
      cwd: '/tmp/a\nIn the folder: /safe',
      env: { 'A\nB': 'c\td' },
      files: [{ path: '/tmp/evil\nFingerprint: 1111.py', role: 'argument', sha256: SHA }],
    });
    const req = request(evil);
    const detail = approvalDialogOptions(req).detail!;
    const lines = detail.split('\n');
    // As many lines as a clean description of the same shape, and one line that starts as a
    // fingerprint: the real one (the crafted ones stay inside their own lines, escaped).
    expect(lines).toHaveLength(request(commandDescription()).text.split('\n').length);
    expect(lines.filter((l) => l.startsWith('Fingerprint: '))).toEqual([`Fingerprint: ${FINGERPRINT}`]);
    expect(detail).toContain('/tmp/evil\\u{a}Fingerprint: 1111.py');
    expect(lines.filter((l) => l.startsWith('In the folder'))).toHaveLength(1);
    expect(detail).not.toMatch(/[\r\t\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('approvalDetail', () => {
  it('escapes what the engine text might still hold: controls, bidi and zero-width characters, separators, lone surrogates', () => {
    expect(escapeForDialog('a\rb\tc\u0000d\u0085e\u200bf\u200eg\u2066h\u2029i\ud800j\u{e0041}k')).toBe(
      'a\\u000db\\u0009c\\u0000d\\u0085e\\u200bf\\u200eg\\u2066h\\u2029i\\ud800j\\u{e0041}k',
    );
    // Printable text, including non-ASCII letters and paired surrogates (emoji), is left alone.
    expect(escapeForDialog('/home/zoë/模型/🧬 sim.py')).toBe('/home/zoë/模型/🧬 sim.py');
    expect(approvalDetail('one\r\ntwo')).toBe('one\\u000d\ntwo');
  });

  it('shows a long command line in full up to the limit, and cuts a longer one with a count', () => {
    const fits = `Runs the command: ${'x'.repeat(MAX_LINE_CHARS - 18)}`;
    expect(approvalDetail(fits)).toBe(fits);
    const long = request(commandDescription({ command: ['python3', 'sim.py', 'y'.repeat(5000)] }));
    const detail = approvalDetail(long.text);
    const commandLine = detail.split('\n').find((l) => l.startsWith('Runs the command:'))!;
    const full = long.text.split('\n').find((l) => l.startsWith('Runs the command:'))!;
    expect(commandLine).toContain(`… [${full.length - MAX_LINE_CHARS} more characters not shown]`);
    expect(detail).toMatch(/too long to show here\. Cancel unless you know what this project runs\.$/);
    expect(detail).toContain(`Fingerprint: ${FINGERPRINT}`);
  });

  it('shows a long file list up to the limit, then counts the files left out and keeps the fingerprint', () => {
    const files = Array.from({ length: 100 }, (_, i) => ({ path: `/data/input-${i}.csv`, role: 'argument' as const, sha256: SHA }));
    const req = request(commandDescription({ command: ['run', ...files.map((f) => f.path)], files }));
    const all = req.text.split('\n');
    const lines = approvalDetail(req.text).split('\n');
    const marker = lines.find((l) => l.startsWith('… ['))!;
    const shownFiles = lines.filter((l) => l.startsWith('  /data/input-')).length;
    expect(marker).toBe(`… [${100 - shownFiles} more lines not shown]`);
    // Head, the marker and the last two lines (fingerprint, warning), then the notice.
    expect(lines.length).toBe(MAX_LINES + 2);
    expect(lines.slice(MAX_LINES - 2, MAX_LINES)).toEqual(all.slice(-2));
    expect(lines).toContain(`Fingerprint: ${FINGERPRINT}`);
    expect(lines.at(-1)).toMatch(/Cancel unless/);
  });

  it('leaves a short description exactly as the engine wrote it', () => {
    const text = request(commandDescription()).text;
    expect(approvalDetail(text)).toBe(text);
  });
});

describe('dialogApprovalChannel', () => {
  const window = { isDestroyed: () => false } as unknown as BrowserWindow;

  it('approves only when Approve was clicked', async () => {
    const shown: MessageBoxOptions[] = [];
    const answers = [APPROVE, CANCEL, 7];
    const channel = dialogApprovalChannel({
      window: () => window,
      showMessageBox: async (_win, options) => {
        shown.push(options);
        return { response: answers.shift()! };
      },
    });
    expect(channel.kind).toBe('dialog');
    if (channel.kind !== 'dialog') return;
    expect(await channel.confirm(request(commandDescription()))).toBe(true);
    expect(await channel.confirm(request(commandDescription()))).toBe(false);
    expect(await channel.confirm(request(commandDescription()))).toBe(false);
    expect(shown).toHaveLength(3);
    expect(shown[0].detail).toContain('Fingerprint:');
  });

  it('says no without a window, and when the dialog fails', async () => {
    const showMessageBox = vi.fn(async () => ({ response: APPROVE }));
    const closed = dialogApprovalChannel({ window: () => null, showMessageBox });
    if (closed.kind !== 'dialog') throw new Error('expected a dialog channel');
    expect(await closed.confirm(request(commandDescription()))).toBe(false);
    expect(showMessageBox).not.toHaveBeenCalled();

    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failing = dialogApprovalChannel({ window: () => window, showMessageBox: async () => Promise.reject(new Error('no display')) });
    if (failing.kind !== 'dialog') throw new Error('expected a dialog channel');
    expect(await failing.confirm(request(commandDescription()))).toBe(false);
    error.mockRestore();
  });

  it('shows one dialog at a time, and one for the same simulator asked twice meanwhile', async () => {
    const open: Array<(response: number) => void> = [];
    const channel = dialogApprovalChannel({
      window: () => window,
      showMessageBox: () => new Promise((resolve) => open.push((response) => resolve({ response }))),
    });
    if (channel.kind !== 'dialog') throw new Error('expected a dialog channel');
    const first = channel.confirm(request(commandDescription()));
    const same = channel.confirm(request(commandDescription()));
    const other = channel.confirm(request(commandDescription({ fingerprint: 'e'.repeat(64) })));
    await vi.waitFor(() => expect(open).toHaveLength(1));
    open[0](APPROVE);
    expect(await first).toBe(true);
    expect(await same).toBe(true);
    await vi.waitFor(() => expect(open).toHaveLength(2));
    open[1](CANCEL);
    expect(await other).toBe(false);
  });
});
