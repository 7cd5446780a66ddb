// The public Huawei Cloud regions the exporter knows, to warn (never to refuse) when a region is
// not one of them: a typo such as "ap-southeast-9" otherwise passes every check and only fails
// later as a DNS error. Private regions (Huawei Cloud Stack, dedicated regions) are legitimate and
// not listed; they need their own endpoints, which is what the warning says.

/**
 * The union of the region lists that Huawei Cloud's official SDKs (huaweicloud-sdk-python-v3 and
 * huaweicloud-sdk-go-v3) publish for the services the exporter calls: ELB v3, IAM v3, SCM/CCM
 * and GaussDB for NoSQL (GeminiDB) v3. A new public region only costs a warning until it is added.
 */
export const KNOWN_REGIONS: ReadonlySet<string> = new Set([
  "ae-ad-1",
  "af-north-1",
  "af-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "cn-east-2",
  "cn-east-3",
  "cn-east-4",
  "cn-east-5",
  "cn-north-1",
  "cn-north-2",
  "cn-north-4",
  "cn-north-9",
  "cn-north-11",
  "cn-south-1",
  "cn-south-2",
  "cn-south-4",
  "cn-southwest-2",
  "cn-southwest-3",
  "eu-west-0",
  "eu-west-101",
  "la-north-2",
  "la-south-2",
  "me-east-1",
  "my-kualalumpur-1",
  "na-mexico-1",
  "ru-moscow-1",
  "ru-northwest-2",
  "sa-brazil-1",
  "tr-west-1",
]);
