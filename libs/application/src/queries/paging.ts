/** A page request: at most `limit` items after the opaque `cursor`. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}
