/** createApp: the workstation behind every door. */
import { channels, isChannel } from '../shared/contract.js';
import type { Envelope } from '../shared/envelope.js';
import { AppError, toErrorInfo } from '../shared/errors.js';
import type { AppOptions, CasewardApp } from './app.js';
import { defaultCasesDir } from './core/workstation/paths.js';
import { Logger } from './core/workstation/log.js';
import { Workstation } from './core/workstation/workstation.js';
import { shutdownHashWorkers } from './core/hashing/index.js';
import { handlers, type HandlerContext } from './handlers.js';
import pkg from '../package.json' with { type: 'json' };

/** Turns zod's issues into one sentence an examiner can act on. */
function describeIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export function createApp(opts: AppOptions): CasewardApp {
  const ws = new Workstation(opts.userDataDir, opts.casesDir ?? defaultCasesDir(), pkg.version);
  const log = new Logger(opts.userDataDir);
  const ctx: HandlerContext = { ws, door: opts.door, nativeDialogs: opts.nativeDialogs ?? false };
  log.write('info', 'started', { door: opts.door, version: pkg.version });

  async function invoke(channel: string, input: unknown): Promise<Envelope<unknown>> {
    const started = performance.now();
    try {
      if (!isChannel(channel)) throw new AppError('INVALID_INPUT', `Unknown operation ${String(channel).slice(0, 100)}`);
      const parsed = channels[channel].input.safeParse(input ?? {});
      if (!parsed.success) throw new AppError('INVALID_INPUT', describeIssues(parsed.error.issues));
      const handler = handlers[channel] as (input: unknown, ctx: HandlerContext) => unknown;
      const value = await handler(parsed.data, ctx);
      log.write('info', 'invoke', { channel, ok: true, ms: Math.round(performance.now() - started) });
      return { ok: true, value };
    } catch (err) {
      const error = toErrorInfo(err);
      log.write(error.code === 'INTERNAL' ? 'error' : 'warn', 'invoke', {
        channel: String(channel).slice(0, 100),
        ok: false,
        code: error.code,
        message: error.message,
        ...(error.code === 'INTERNAL' && err instanceof Error ? { stack: err.stack } : {}),
      });
      return { ok: false, error };
    }
  }

  return {
    invoke,
    onEvent: (cb) => ws.onEvent(cb),
    async close() {
      await ws.closeAll();
      await shutdownHashWorkers();
      log.write('info', 'stopped');
    },
  };
}
