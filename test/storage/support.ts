import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogFields, Logger, ObjectEvent, RuntimeMetrics } from '../../packages/core/src/index.js';

/** A fresh directory under the system's temporary directory. */
export const tempDir = (label: string) => mkdtempSync(join(tmpdir(), `lakerunner-${label}-`));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: LogFields;
}

/** A logger that keeps every line, to check what was (and was not) said. */
export function recordingLogger(): { log: Logger; lines: LogLine[]; about(key: string): LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: LogFields = {}) => {
      lines.push({ level, message, fields });
    };
  return {
    log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
    about: (key) => lines.filter((l) => l.fields.key === key),
  };
}

type AnyCounter = RuntimeMetrics['storageRefused'] | RuntimeMetrics['sourceSkipped'];

/** The value of one labelled series of a counter (0 when it was never incremented). */
export async function counterValue(counter: AnyCounter, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const match = values.find((v) =>
    Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  );
  return match?.value ?? 0;
}

/** Collects what a notification source announces. */
export function collector() {
  const events: ObjectEvent[] = [];
  return {
    events,
    onObject: async (e: ObjectEvent) => {
      events.push(e);
    },
    keys: () => events.map((e) => e.key).sort(),
  };
}

/** The error code a promise rejects with, or 'ok'. */
export const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
