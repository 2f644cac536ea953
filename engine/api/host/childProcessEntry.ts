import { ipcChannelPort } from './BridgePort.js';
import { startEngineHost } from './engineHost.js';

/**
 * Entry of the engine host in a Node child process (childProcessHost.ts).
 * The parent's IPC channel is the port; when the engine has closed, the
 * process ends (worker threads included) once the message is out. A parent
 * that died (the channel disconnected) ends it too: no orphan engine keeps
 * simulating (committed generations are in the project; the run resumes).
 */
if (!process.send) throw new Error('the engine host runs as a forked child process (with an IPC channel)');
const port = ipcChannelPort(process);
const host = startEngineHost(port);
process.once('disconnect', () => process.exit(0));
// Ctrl-C in a terminal signals the whole process group: the parent decides when the engine closes (it sends `close`).
process.on('SIGINT', () => {});
void host.closed.then(() => {
  setTimeout(() => process.exit(0), 200).unref();
  port.close();
});
