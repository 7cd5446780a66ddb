// Reads X.509 validity times (UTCTime, GeneralizedTime) into Unix seconds with OpenSSL's grammar
// and range checks, so we accept and reject exactly what `openssl x509 -enddate` does. Callers
// must not fall back to a lenient parser: asn1js turns month 13 or junk into a plausible date.
// It does no clock reading and no time-zone lookup (only explicit ±hhmm offsets).

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const SECONDS_PER_DAY = 86_400;

/**
 * Unix seconds, or undefined for anything OpenSSL reports as "Bad time value". Accepted:
 * `YYMMDDHHMM[SS](Z|±hhmm)` for UTCTime (YY < 50 means 20YY) and
 * `YYYYMMDDHHMM[SS[.fff]](Z|±hhmm)` for GeneralizedTime; fractions are dropped (floor).
 */
export function parseAsn1Time(tag: number, content: Uint8Array): number | undefined {
  if (tag !== UTC_TIME && tag !== GENERALIZED_TIME) return undefined;
  if (content.length > 32) return undefined;
  const text = String.fromCharCode(...content);
  const pattern =
    tag === UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(?:\.\d+)?)?(Z|[+-]\d{4})$/;
  const match = pattern.exec(text);
  if (match === null) return undefined;
  const [, yearText = "", monthText = "", dayText = "", hourText = "", minuteText = ""] = match;
  const secondText = match[6] ?? "00";
  const zone = match[7] ?? "Z";
  const shortYear = Number(yearText);
  const year = tag === UTC_TIME ? (shortYear < 50 ? 2000 : 1900) + shortYear : shortYear;
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (zone !== "Z") {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutes = Number(zone.slice(3, 5));
    if (offsetHours > 12 || offsetMinutes > 59) return undefined;
    // `+0100` is one hour ahead of UTC, so UTC is one hour earlier.
    offset = (zone.startsWith("+") ? 1 : -1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  return (
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
