import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../packages/core/dist/cli.js', import.meta.url));

/** A `lakerunner run …` child process that can be killed and restarted like a pod. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  log = '';
  restarts = 0;

  constructor(
    readonly services: string[],
    private readonly cwd: string,
    private readonly env: Record<string, string> = {},
  ) {}

  start() {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('LAKERUNNER_')),
    );
    this.child = spawn(process.execPath, [BIN, 'run', ...this.services], {
      cwd: this.cwd,
      env: { ...base, ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (d) => {
      this.log += d;
      if (this.log.length > 200_000) this.log = this.log.slice(-100_000);
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    const child = this.child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async restart() {
    await this.kill('SIGKILL');
    this.restarts++;
    this.start();
  }
}
