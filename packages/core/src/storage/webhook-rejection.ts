/**
 * A webhook request that is wrong in itself (malformed body, unsafe key, a URL it may not
 * fetch): answered 400 with this message, since sending it again cannot succeed.
 */
export class WebhookRejection extends Error {
  override readonly name = 'WebhookRejection';
}
