/** A local file a simulator runs, with its SHA-256 (as engine/simulate/blackbox/fingerprint.ts hashes it). */
export interface SimulatorFileDescription {
  readonly path: string;
  readonly role: 'module' | 'program' | 'argument';
  readonly sha256: string;
}

/**
 * Plain types, free of Node built-ins: engine/api/contract.ts re-exports
 * them for the renderer.
 *
 * What a black-box simulator will run, as the person approving it sees it:
 * the command line (or module file and export), the working directory, the
 * extra environment, and every local file it runs with its SHA-256. The
 * fingerprint is the SHA-256 of all of it (canonical JSON), so an approval
 * covers exactly this content and nothing else.
 */
export interface SimulatorDescription {
  readonly kind: 'module' | 'command';
  /** Program and arguments (command simulators). */
  readonly command?: readonly string[];
  /** Working directory, absolute (command simulators). */
  readonly cwd?: string;
  /** Extra environment variables (command simulators), sorted by name. */
  readonly env?: Readonly<Record<string, string>>;
  /** The module file, absolute (module simulators). */
  readonly module?: string;
  /** The exported function (module simulators). */
  readonly export?: string;
  /** Local files the simulator runs, with their SHA-256. */
  readonly files: readonly SimulatorFileDescription[];
  readonly fingerprint: string;
}

/**
 * One question to the person at this machine: may the simulator described
 * run for the project (or study file) `scope`? `text` is the same content
 * in plain lines, for a native dialog or a terminal prompt.
 */
export interface ApprovalRequest {
  /** The project file or study file (absolute) the simulator comes from. */
  readonly scope: string;
  readonly description: SimulatorDescription;
  readonly text: string;
}

/**
 * How a front door asks for an approval that content in the renderer can
 * not give on its own:
 * - Electron main shows a native dialog (`confirm`), which the renderer cannot click;
 * - `sciope serve` prints a one-time code on its terminal (`announce`), which
 *   the person types into the app; a script holding only the web token
 *   cannot read the terminal.
 */
export type ApprovalChannel =
  | { readonly kind: 'dialog'; confirm(request: ApprovalRequest): Promise<boolean> }
  | { readonly kind: 'code'; announce(request: ApprovalRequest, code: string): void };
