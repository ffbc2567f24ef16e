import { isIP } from 'node:net';
import type { Logger } from '../logger.js';
import { WebhookRejection } from './webhook-rejection.js';

/**
 * SNS subscription handshakes. Before SNS delivers to an HTTP(S) endpoint it POSTs a
 * SubscriptionConfirmation whose SubscribeURL must be fetched; the webhook fetches it only for
 * the configured topics and only when the URL is an SNS endpoint, so a request cannot make it
 * fetch arbitrary URLs. Anything else is logged for an operator. SNS message signatures are not
 * verified (that needs AWS's signing certificates, which this process cannot fetch); the
 * webhook's shared secret, which SNS sends as HTTP basic auth, authenticates the sender.
 */
export interface SnsSubscriptionMessage {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  topicArn: string;
  subscribeUrl: string;
}

/** Public SNS endpoints, e.g. sns.eu-west-1.amazonaws.com and sns.cn-north-1.amazonaws.com.cn. */
export const SNS_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

const CONFIRM_TIMEOUT_MS = 10_000;

/** undefined when the body is not a subscription handshake. */
export function parseSnsSubscription(body: unknown): SnsSubscriptionMessage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { Type: type, TopicArn: topicArn, SubscribeURL: subscribeUrl } = body as Record<string, unknown>;
  if (type !== 'SubscriptionConfirmation' && type !== 'UnsubscribeConfirmation') return undefined;
  if (typeof topicArn !== 'string' || typeof subscribeUrl !== 'string' || !topicArn || !subscribeUrl)
    throw new WebhookRejection(`an SNS ${type} lacks TopicArn or SubscribeURL`);
  return { type, topicArn, subscribeUrl };
}

/**
 * The SubscribeURL as a URL, or a WebhookRejection saying why it is not fetched: it must name a
 * host `allowedHost` matches in whole, over https on the default port, and confirm the topic of
 * the message. Plain http and other ports are allowed for loopback addresses only, which only a
 * test's `allowedHost` admits.
 */
export function checkSubscribeUrl(raw: string, topicArn: string, allowedHost: RegExp = SNS_HOST): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookRejection('SubscribeURL is not a URL');
  }
  if (url.hostname.match(allowedHost)?.[0] !== url.hostname)
    throw new WebhookRejection(`SubscribeURL host ${url.hostname} is not an SNS endpoint`);
  const loopback = isLoopback(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new WebhookRejection('SubscribeURL is not https');
  if (url.port !== '' && !loopback) throw new WebhookRejection('SubscribeURL names a port');
  if (url.username || url.password) throw new WebhookRejection('SubscribeURL carries credentials');
  if (
    url.searchParams.get('Action') !== 'ConfirmSubscription' ||
    url.searchParams.get('TopicArn') !== topicArn
  )
    throw new WebhookRejection('SubscribeURL does not confirm the topic of the message');
  return url;
}

/** GETs the SubscribeURL; throws with the reason unless SNS answered 2xx. */
export async function confirmSubscription(url: URL, timeoutMs = CONFIRM_TIMEOUT_MS): Promise<void> {
  // No redirects: the checked URL is the only one fetched.
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    // fetch says only "fetch failed"; the cause says why (refused, DNS, timeout).
    const cause = (err as Error).cause;
    throw new Error(
      `GET SubscribeURL failed: ${cause instanceof Error ? cause.message : (err as Error).message}`,
    );
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`SubscribeURL answered ${res.status} ${res.statusText}`);
}

export interface SnsHandshakeOptions {
  topicArns: readonly string[];
  allowedHost?: RegExp;
  log: Logger;
  count: (what: string) => void;
}

/**
 * What to answer a handshake: 200 whether or not it was confirmed (SNS would only resend the
 * same request), 502 when confirming failed, so SNS retries. An UnsubscribeConfirmation is
 * never acted on: fetching its SubscribeURL would subscribe again, undoing the operator's
 * unsubscribe, so it is only logged.
 */
export async function answerSnsHandshake(
  message: SnsSubscriptionMessage,
  options: SnsHandshakeOptions,
): Promise<{ status: number; message: string }> {
  const { log, count } = options;
  const fields = { topicArn: message.topicArn, subscribeUrl: message.subscribeUrl };
  if (message.type === 'UnsubscribeConfirmation') {
    count('sns unsubscribed');
    log.warn('SNS ended the subscription of this webhook; open SubscribeURL to subscribe again', fields);
    return { status: 200, message: 'unsubscribe noted' };
  }
  if (!options.topicArns.includes(message.topicArn)) {
    count('sns subscription not confirmed');
    log.warn(
      'SNS subscription for a topic not in pubsub.webhook.snsTopicArns; open SubscribeURL to confirm it by hand',
      fields,
    );
    return { status: 200, message: 'subscription not confirmed: topic not configured; SubscribeURL logged' };
  }
  let url: URL;
  try {
    url = checkSubscribeUrl(message.subscribeUrl, message.topicArn, options.allowedHost);
  } catch (err) {
    count('sns subscription refused');
    log.warn('SNS subscription not confirmed: SubscribeURL refused', {
      ...fields,
      reason: (err as Error).message,
    });
    return { status: 200, message: `subscription not confirmed: ${(err as Error).message}` };
  }
  try {
    await confirmSubscription(url);
  } catch (err) {
    count('sns subscription failed');
    const reason = (err as Error).message;
    log.warn('SNS subscription confirmation failed; SNS will retry', { ...fields, reason });
    return { status: 502, message: `subscription confirmation failed: ${reason}` };
  }
  count('sns subscription confirmed');
  log.info('SNS subscription confirmed', { topicArn: message.topicArn });
  return { status: 200, message: 'subscription confirmed' };
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
