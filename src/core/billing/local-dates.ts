/**
 * Calendar dates ("YYYY-MM-DD") as whole day numbers, so day arithmetic is plain integer math,
 * free of time zones and DST.
 */

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const millisecondsPerDay = 86_400_000;

/** Days since 1970-01-01 of a calendar date such as `2026-03-29`; throws on a malformed or impossible date. */
export function dayNumberOf(isoDate: string): number {
  const match = isoDatePattern.exec(isoDate);
  if (match) {
    const [, year, month, day] = match.map(Number) as [number, number, number, number];
    // Not Date.UTC: it reads years 0–99 as 1900–1999. setUTCFullYear takes any year as it is.
    const date = new Date(0);
    const milliseconds = date.setUTCFullYear(year, month - 1, day);
    // Dates roll 2026-02-30 over to March; a round trip catches it.
    if (isoDateOfDayNumber(milliseconds / millisecondsPerDay) === isoDate) return milliseconds / millisecondsPerDay;
  }
  throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${isoDate}`);
}

/** The calendar date `dayNumber` days after 1970-01-01. */
export function isoDateOfDayNumber(dayNumber: number): string {
  return new Date(dayNumber * millisecondsPerDay).toISOString().slice(0, 10);
}
