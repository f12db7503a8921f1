import type { FastifyServerOptions } from 'fastify';
import type { Config } from './config/config.js';

/** pino settings: a request id on every request line, and no cookies, tokens or passwords in the logs. */
export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  if (config.LOG_LEVEL === 'silent') return false;
  return {
    level: config.LOG_LEVEL,
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', '*.password', '*.token', '*.secret'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; ip?: string; id?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.ip,
      }),
    },
  };
}

/** Tokens travel in query strings (`?token=`) and, for better-auth's reset links, in the path. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](token|code|secret|password)=)[^&]*/gi, '$1[redacted]').replace(/(\/reset-password\/)[^/?]+/, '$1[redacted]');
}
