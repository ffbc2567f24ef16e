import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The shared secret, as `Authorization: Bearer <secret>` or as the password of HTTP basic auth
 * (any user name): SNS can send credentials only the second way, from an endpoint URL like
 * https://lakerunner:<secret>@host/notifications, and only after a 401 that asks for them.
 */
export function hasSecret(req: IncomingMessage, secret: Buffer): boolean {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer (.+)$/.exec(header)?.[1];
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header)?.[1];
  const decoded = basic === undefined ? undefined : Buffer.from(basic, 'base64').toString('utf8');
  const given = bearer ?? (decoded?.includes(':') ? decoded.slice(decoded.indexOf(':') + 1) : undefined);
  if (given === undefined) return false;
  const bytes = Buffer.from(given);
  return bytes.length === secret.length && timingSafeEqual(bytes, secret);
}

/** The challenge SNS needs before it sends basic-auth credentials; it requires a realm. */
export const AUTH_CHALLENGE = 'Basic realm="lakerunner webhook"';

/**
 * The body, or 'too large' as soon as more than `max` bytes arrived: the rest is not read (the
 * caller answers 413 and closes the connection). Rejects when the client goes away.
 */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      done();
      req.pause();
      resolve('too large');
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => onError(new Error('the client closed the connection before the body ended'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
