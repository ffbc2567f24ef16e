/** A record as a codec read it, before timestamps are resolved and ids assigned. */
export interface RecordDraft {
  time: unknown;
  message: string;
  level: string;
  service: string;
  attributes: Record<string, unknown>;
}
