// Type declarations for viewsan/protocol: contract 4's event stream and the report file's constants.
import type { Report, ReportKind, Site, Stats } from './index.js';

export declare const PROTOCOL_VERSION: 1;
export declare const BINDING_NAME: '__viewsan_devtools';
export declare const MESSAGE_SOURCE: 'viewsan';
export declare const EventType: Readonly<{
  ALLOC: 'alloc'; FREE: 'free'; REALLOC: 'realloc'; GROW: 'grow'; VIEW: 'view'; REPORT: 'report';
  OVERFLOW: 'overflow'; STATS: 'stats';
}>;
export type EventName = (typeof EventType)[keyof typeof EventType];
export declare const EVENT_NAMES: readonly EventName[];
export declare const REPORT_KINDS: readonly ReportKind[];
export declare const STAT_FIELDS: readonly (keyof Stats)[];
export declare const REPORT_VERSION: 1;
export declare const WASM_PAGE_BYTES: 65536;

/** Fields every event has: `t` is ms since its session started, `session` numbers the sessions of one JavaScript context. */
interface EventBase { seq: number; t: number; session: number }
export type StreamEvent = EventBase & (
  | { type: 'alloc'; ptr: number; size: number; allocId: number; generation: number; site: Site | null }
  | { type: 'free'; ptr: number; size: number; allocId: number; site: Site | null }
  | { type: 'realloc'; oldPtr: number; ptr: number; size: number; oldAllocId: number; allocId: number; site: Site | null }
  | { type: 'grow'; fromPages: number; toPages: number; site: Site | null; origin: 'js' | 'wasm' }
  | { type: 'view'; viewId: number; ctor: string; byteOffset: number; length: number; byteLength: number; allocId: number | null; whole: boolean }
  | { type: 'report'; report: Report }
  | { type: 'overflow'; lost: number }
  | { type: 'stats'; unseenFrees: number }
);

/** The JSON text of one batch: `{"v":1,"events":[…]}`. */
export declare function encodeBatch(events: StreamEvent[]): string;
/** `events` is null for a batch of a newer version; `version` is 0 for a runtime's bare array from before version 1; null for text that is no batch. */
export declare function decodeBatch(text: string): { version: number; events: StreamEvent[] | null } | null;
