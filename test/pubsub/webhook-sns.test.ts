import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { messageOf, SECRET, startWebhook, type WebhookHarness } from './webhook-support.js';

const brokers = inject('kafkaBrokers');
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:lake-raw';

/** SNS's side of the handshake, on loopback: records each GET, and fails tokens named 'fail'. */
function startFakeSns(): Promise<{ server: Server; gets: URL[]; url(topic: string, token: string): string }> {
  const gets: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    gets.push(url);
    res.writeHead(url.searchParams.get('Token') === 'fail' ? 500 : 200).end('<ConfirmSubscriptionResponse/>');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const url = (topic: string, token: string) =>
        `http://127.0.0.1:${port}/?Action=ConfirmSubscription&TopicArn=${encodeURIComponent(topic)}&Token=${token}`;
      resolve({ server, gets, url });
    }),
  );
}

const handshake = (type: string, topic: string, subscribeUrl: string) => ({
  Type: type,
  MessageId: 'm-1',
  Token: 'token',
  TopicArn: topic,
  Message: 'You have chosen to subscribe to the topic.',
  SubscribeURL: subscribeUrl,
  Timestamp: new Date().toISOString(),
  SignatureVersion: '1',
  Signature: 'not-verified',
  SigningCertURL: 'https://sns.eu-west-1.amazonaws.com/cert.pem',
});

/** SNS sends the secret as basic auth, taken from the endpoint URL it was subscribed with. */
const basic = { authorization: `Basic ${Buffer.from(`lakerunner:${SECRET}`).toString('base64')}` };

describe('webhook: SNS subscription handshakes (real HTTP, real Kafka)', () => {
  let h: WebhookHarness;
  let sns: Awaited<ReturnType<typeof startFakeSns>>;

  beforeAll(async () => {
    sns = await startFakeSns();
    h = await startWebhook(brokers, 'webhook-sns', {
      snsTopicArns: [TOPIC],
      // The test plays SNS on loopback; the default admits only sns.<region>.amazonaws.com[.cn].
      snsSubscribeHost: /^127\.0\.0\.1$/,
    });
  });
  afterAll(async () => {
    await h?.stop();
    sns?.server.close();
  });

  it('asks for credentials the way SNS needs (401 with a basic realm) and accepts them as basic auth', async () => {
    const res = await fetch(h.url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="/);
    const ok = await h.post({ Event: 's3:TestEvent' }, { headers: basic });
    expect(ok.status).toBe(200);
    const wrong = `Basic ${Buffer.from('lakerunner:not-the-secret-at-all!!').toString('base64')}`;
    expect((await h.post({ Event: 's3:TestEvent' }, { headers: { authorization: wrong } })).status).toBe(401);
  });

  it('confirms a subscription to a configured topic by GETting its SubscribeURL', async () => {
    const res = await h.post(handshake('SubscriptionConfirmation', TOPIC, sns.url(TOPIC, 'good')), {
      headers: basic,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: 'subscription confirmed' });
    expect(sns.gets.map((u) => u.searchParams.get('Token'))).toEqual(['good']);
    expect(h.webhook.counts()).toMatchObject({ 'sns subscription confirmed': 1 });
  });

  it('answers 502 when the confirmation GET fails, so SNS sends the handshake again', async () => {
    const res = await h.post(handshake('SubscriptionConfirmation', TOPIC, sns.url(TOPIC, 'fail')));
    expect(res.status).toBe(502);
    expect(await messageOf(res)).toMatch(/answered 500/);
    expect(h.webhook.counts()).toMatchObject({ 'sns subscription failed': 1 });
  });

  it('does not confirm another topic but logs its SubscribeURL for an operator', async () => {
    const other = 'arn:aws:sns:eu-west-1:123456789012:someone-else';
    const before = sns.gets.length;
    const res = await h.post(handshake('SubscriptionConfirmation', other, sns.url(other, 'other')));
    expect(res.status).toBe(200);
    expect(sns.gets.length).toBe(before);
    expect(h.webhook.counts()).toMatchObject({ 'sns subscription not confirmed': 1 });
    expect(h.logged).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ topicArn: other, subscribeUrl: sns.url(other, 'other') }),
      }),
    );
  });

  it('refuses to fetch a SubscribeURL that is not an SNS endpoint', async () => {
    const before = sns.gets.length;
    const refused = [
      `https://example.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=x`,
      `https://sns.eu-west-1.amazonaws.com.example.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}`,
      // Right host, but it would confirm another topic.
      sns.url('arn:aws:sns:eu-west-1:123456789012:someone-else', 'x'),
      'not a url',
    ];
    for (const url of refused) {
      const res = await h.post(handshake('SubscriptionConfirmation', TOPIC, url));
      expect(res.status).toBe(200);
      expect(await messageOf(res)).toMatch(/^subscription not confirmed: /);
    }
    expect(sns.gets.length).toBe(before);
    expect(h.webhook.counts()).toMatchObject({ 'sns subscription refused': refused.length });
  });

  it('by default, refuses plain http and any host but SNS, loopback included', async () => {
    const strict = await startWebhook(brokers, 'webhook-sns-default', { snsTopicArns: [TOPIC] });
    try {
      const before = sns.gets.length;
      const res = await strict.post(handshake('SubscriptionConfirmation', TOPIC, sns.url(TOPIC, 'loop')));
      expect(res.status).toBe(200);
      expect(sns.gets.length).toBe(before);
      expect(strict.webhook.counts()).toMatchObject({ 'sns subscription refused': 1 });
    } finally {
      await strict.stop();
    }
  });

  it('notes an UnsubscribeConfirmation without subscribing again', async () => {
    const before = sns.gets.length;
    const res = await h.post(handshake('UnsubscribeConfirmation', TOPIC, sns.url(TOPIC, 'again')));
    expect(res.status).toBe(200);
    expect(sns.gets.length).toBe(before);
    expect(h.webhook.counts()).toMatchObject({ 'sns unsubscribed': 1 });
  });

  it('rejects a handshake without TopicArn or SubscribeURL (400)', async () => {
    const res = await h.post({ Type: 'SubscriptionConfirmation', TopicArn: TOPIC });
    expect(res.status).toBe(400);
  });
});
