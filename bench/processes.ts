import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));

/** A child process of the bench (API or worker) with its output lines kept for waiting and for error messages. */
export type BenchProcess = { child: ChildProcess; lines: string[]; stderr: string[]; exited: Promise<void> };

const started: BenchProcess[] = [];

export function startProcess(entry: string, args: string[], env: Record<string, string>): BenchProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(entry, import.meta.url)), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: BenchProcess = { child, lines: [], stderr: [], exited: new Promise((resolve) => child.once('exit', () => resolve())) };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    proc.lines.push(...lines);
  });
  child.stderr.on('data', (chunk: Buffer) => proc.stderr.push(chunk.toString()));
  started.push(proc);
  return proc;
}

export async function waitForLine(proc: BenchProcess, what: string, match: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = proc.lines.find(match);
    if (line) return line;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null || Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}: ${proc.stderr.join('').slice(-2000)} ${proc.lines.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM (the processes finish in-flight work and exit), SIGKILL after 25 s. */
export async function stopProcess(proc: BenchProcess) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const force = setTimeout(() => proc.child.kill('SIGKILL'), 25_000);
  await proc.exited;
  clearTimeout(force);
}

export async function stopAllProcesses() {
  for (const proc of started) await stopProcess(proc);
}

/** Resident memory of a process from /proc (Linux): now and its peak (VmHWM), in MB; null elsewhere. */
export function memoryOf(pid: number): { rssMb: number; peakRssMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}
