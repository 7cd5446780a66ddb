// The simulator's public surface for tests, the demo and benchmarks. Import from here rather than
// from the individual modules, whose internals may move.
export {
  startSimulator,
  type Simulator,
  type SimulatorEndpoints,
  type SimulatorOptions,
} from "./simulator.js";
export type { ElbCertificateInfo, ElbCertificateInput, ElbControl } from "./elb.js";
export type { ElbListenerControl, ElbListenerInfo, ElbListenerInput } from "./elb-listeners.js";
export type {
  CaFileOptions,
  DatastoreType,
  DownloadLinkError,
  GeminiDbControl,
  GeminiDbInstanceInput,
} from "./geminidb.js";
export type { IamControl, IamCredentials } from "./iam.js";
export {
  CCM_PAGE_LIMITS,
  CCM_TIME_FORMATS,
  type CcmCertificateInput,
  type CcmControl,
  type CcmTimeFormat,
} from "./ccm.js";
export type { ObsControl, ObsObjectOptions } from "./obs.js";
export type { Project, ProjectControl } from "./projects.js";
export type {
  FaultAction,
  FaultControl,
  FaultKind,
  FaultMatch,
  FaultRule,
  Operation,
  ServiceName,
} from "./faults.js";
export { REDACTED, type RequestLogEntry } from "./request-log.js";
export {
  generateCaCertificate,
  generateChain,
  generateUniquePrivateKeyPem,
  pemToDer,
  toOneLinePem,
  type CertificateFacts,
  type ChainRequest,
  type GeneratedCa,
  type GeneratedChain,
  type KeyAlgorithm,
} from "./certificates.js";
export {
  demoEnvironment,
  exporterEnvironment,
  formatEnvironmentLines,
} from "./exporter-environment.js";
export {
  formatChinaStandardTime,
  formatIsoSeconds,
  formatOffsetSeconds,
  formatSpaceSeconds,
} from "./formats.js";
export { buildZip, type ZipEntry } from "./zip.js";
export { canonicalRequest, computeSignature, stringToSign, verifySignedRequest } from "./aksk.js";
export {
  DEMO_CCM_CERTIFICATES,
  DEMO_ELB_CERTIFICATES,
  DEMO_ELB_LISTENERS,
  DEMO_GEMINIDB_INSTANCES,
  seedDemoScenario,
  seedGeminiDbInstances,
  type DemoCcmCertificate,
  type DemoElbCertificate,
  type DemoElbListener,
  type DemoGeminiDbInstance,
  type DemoListenerRole,
  type DemoSeverity,
  type SeededCcmCertificate,
  type SeededDemoScenario,
  type SeededElbCertificate,
  type SeededElbListener,
  type SeededGeminiDbInstance,
} from "./scenario.js";
