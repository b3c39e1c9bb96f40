/** The first place where two samples differ, in terms a reader can find on both pages. */
export interface Difference {
  /**
   * Path of the differing node: `/soap:Envelope/soap:Body/Disconnect/CallId`, `$.value[0].state`,
   * `header Content-Type`.
   */
  path: string;
  /** What differs: `text`, `element`, `attribute`, `value`, `missing`, `extra`, `type`, `method`, … */
  what: string;
  expected: string;
  actual: string;
  /** 1-based lines within each sample's text, when known. */
  expectedLine?: number;
  actualLine?: number;
  /** Character offsets within each compared text (JSON), when lines are not known directly. */
  expectedOffset?: number;
  /** The documented scalar, where a value differs (JSON): what a message may explain further. */
  expectedValue?: string | number | boolean | null;
  actualOffset?: number;
}

/** Every difference up to a limit, in document order, and how many more there are. */
export interface Differences {
  differences: Difference[];
  /** Differences found past the limit (counted, not described). */
  more: number;
}

export function shorten(value: string, max = 60): string {
  const flat = value.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
