/**
 * The whole of an object's stream as one Buffer (for objects known to be small: segments, test
 * fixtures). A failure while streaming becomes `failure(err)`, so a store reports it in its own
 * terms (an outage to retry) rather than as whatever the socket threw.
 */
export async function readAll(
  body: AsyncIterable<unknown>,
  failure: (err: unknown) => Error,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(chunk as Buffer);
  } catch (err) {
    throw failure(err);
  }
  return Buffer.concat(chunks);
}
