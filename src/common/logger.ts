import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { logLevelFromProcess } from '../config/env';

/** Structured JSON logs (pino). One root logger; children carry job id, source and counts. */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'rackhound', pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['*.password', '*.apiKey', '*.token', 'req.headers.authorization'],
      remove: true,
    },
  });
}

let root: Logger | undefined;

export function rootLogger(): Logger {
  root ??= createRootLogger(logLevelFromProcess());
  return root;
}

export function setRootLogger(logger: Logger): void {
  root = logger;
}

/** Adapts pino to Nest's LoggerService so framework logs are JSON too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, stringify(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, stringify(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, stringify(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, stringify(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, stringify(message));
  }
}

function stringify(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Error) return message.message;
  return JSON.stringify(message);
}
