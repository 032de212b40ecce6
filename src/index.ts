/**
 * jizo-intake: decode, normalize to ECS and describe the EVE events of Jizo NDR
 * sensors. Importing this module has no side effects.
 */
export { normalize, getProfile } from './normalize/index.js';
export type {
  JizoDocument,
  NormalizeOptions,
  NormalizeResult,
  Normalized,
  ProfileName,
} from './normalize/types.js';
export { PROFILES } from './normalize/types.js';
export { decode, DEFAULT_MAX_LINE_BYTES, REJECT_REASONS } from './decode/index.js';
export type { Decoded, DecodeOptions, EnvelopeKind, Rejection, RejectReason, SyslogHeader, StructuredData } from './decode/index.js';
export { parseSyslog } from './decode/syslog.js';
export { toUtc } from './normalize/time.js';
export { canonicalIp } from './normalize/ip.js';
export { toJson, resultToJson } from './serialize.js';
export { runIntakeTests, type IntakeTestResult } from './testing/intake-test.js';
