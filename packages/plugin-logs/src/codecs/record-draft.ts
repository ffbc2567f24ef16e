/** A record as a codec read it, before timestamps are resolved and ids assigned. */
export interface RecordDraft {
  /** Where the record sits in its object (line, and index within an OTLP request): the row id's basis. */
  position: string;
  time: unknown;
  message: string;
  level: string;
  service: string;
  attributes: Record<string, unknown>;
}
