// Regenerates the ICU fixtures that tests/test_dates_*.py compare syndicate.dates with.
//
//   node tests/data/dates/generate_icu_fixtures.mjs
//
// Needs a Node built with full ICU (process.versions.icu); the ICU/CLDR/tz versions are
// written into every file so a diff after an upgrade says why it changed.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const OUT = dirname(fileURLToPath(import.meta.url));
const META = { icu: process.versions.icu, cldr: process.versions.cldr, tz: process.versions.tz };
const LOCALES = ["ar", "ar-QA", "ar-SA", "ar-AE", "ar-EG", "ar-LB", "ar-SY", "ar-MA", "ar-DZ", "ar-TN"];
const STYLES = ["full", "long", "medium", "short"];
const CALENDARS = { gregorian: "gregory", hijri: "islamic-umalqura" };
const DAY = 86400000;

function tag(locale, calendar, digits) {
  return `${locale}-u-ca-${CALENDARS[calendar]}` + (digits ? `-nu-${digits}` : "");
}

function fmt(locale, calendar, digits, opts, iso) {
  return new Intl.DateTimeFormat(tag(locale, calendar, digits), opts).format(new Date(iso));
}

function write(name, data) {
  const path = join(OUT, name);
  writeFileSync(path, JSON.stringify({ meta: META, ...data }, null, 0) + "\n");
  console.log(path, Object.values(data).flat().length);
}

// Every locale x calendar x style x digits, date only, and with a time (default digits).
// Instants cover a morning, noon (12 م), just after midnight (12:30 ص) and both sides of
// midnight in Doha.
const INSTANTS = [
  "2025-09-14T00:05:00Z",
  "2025-03-01T20:59:59Z",
  "2025-03-01T21:00:00Z",
  "2024-12-31T12:00:00Z",
  "2026-01-01T09:00:00Z",
  "2025-06-15T21:30:00Z",
];
const formats = [];
for (const when of INSTANTS)
  for (const locale of LOCALES)
    for (const calendar of Object.keys(CALENDARS))
      for (const style of STYLES) {
        for (const digits of [null, "arab", "latn"]) {
          const opts = { dateStyle: style, timeZone: "Asia/Qatar" };
          formats.push({ when, locale, calendar, style, digits, time: null,
                         tz: "Asia/Qatar", expected: fmt(locale, calendar, digits, opts, when) });
        }
        for (const time of ["short", "medium"]) {
          const opts = { dateStyle: style, timeStyle: time, timeZone: "Asia/Qatar" };
          formats.push({ when, locale, calendar, style, digits: null, time,
                         tz: "Asia/Qatar", expected: fmt(locale, calendar, null, opts, when) });
        }
      }
write("icu_formats.json", { formats });

// Month and weekday names as ICU prints them on their own.
const names = [];
for (const locale of LOCALES) {
  const gregorian = [];
  for (let m = 0; m < 12; m++)
    gregorian.push(fmt(locale, "gregorian", null, { month: "long", timeZone: "UTC" },
                       new Date(Date.UTC(2025, m, 15)).toISOString()));
  const weekdays = []; // Monday first, like Python's date.weekday()
  for (let d = 0; d < 7; d++)
    weekdays.push(fmt(locale, "gregorian", null, { weekday: "long", timeZone: "UTC" },
                      new Date(Date.UTC(2025, 8, 15 + d)).toISOString()));
  // 1447 AH starts on 2025-06-26; the 15th of each month lands in month 1..12 in turn.
  const hijri = [];
  const parts = new Intl.DateTimeFormat(tag(locale, "hijri", "latn"),
    { month: "numeric", timeZone: "UTC" });
  for (let t = Date.UTC(2025, 5, 26); hijri.length < 12; t += DAY) {
    const month = Number(parts.format(new Date(t)));
    if (month === hijri.length + 1)
      hijri.push(fmt(locale, "hijri", null, { month: "long", timeZone: "UTC" },
                     new Date(t).toISOString()));
  }
  names.push({ locale, gregorian, weekdays, hijri });
}
write("icu_names.json", { names });

// Umm al-Qura month starts and ends of Ramadan (9) and Shawwal (10), 1420-1450 AH, plus
// the days either side of the window where hijridate and ICU agree.
const ymd = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura-nu-latn",
  { year: "numeric", month: "numeric", day: "numeric", timeZone: "UTC" });
function hijriOf(t) {
  const p = Object.fromEntries(ymd.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return [parseInt(p.year, 10), Number(p.month), Number(p.day)];
}
const monthEdges = [];
for (let t = Date.UTC(1999, 3, 1); t < Date.UTC(2029, 7, 1); t += DAY) {
  const [y, m, d] = hijriOf(t);
  const [, mNext] = hijriOf(t + DAY);
  if (y < 1420 || y > 1450 || (m !== 9 && m !== 10)) continue;
  if (d !== 1 && mNext === m) continue;
  const iso = new Date(t).toISOString().slice(0, 10);
  monthEdges.push({ gregorian: iso, hijri: [y, m, d],
                    full: fmt("ar-SA", "hijri", null, { dateStyle: "full", timeZone: "UTC" }, iso) });
}
const boundary = ["1999-04-16", "1999-04-17", "2029-08-10", "2029-08-11"].map((iso) =>
  ({ gregorian: iso, icu_hijri: hijriOf(Date.parse(iso)) }));

// Gregorian leap days, both calendars, a Gulf and a Levantine locale.
const leapDays = [];
for (const iso of ["2000-02-29", "2004-02-29", "2016-02-29", "2020-02-29", "2024-02-29", "2028-02-29"])
  for (const locale of ["ar-QA", "ar-LB", "ar-MA"])
    for (const calendar of Object.keys(CALENDARS))
      for (const style of ["full", "short"])
        leapDays.push({ when: `${iso}T12:00:00Z`, locale, calendar, style, digits: null, time: null,
                        tz: "UTC", expected: fmt(locale, calendar, null,
                          { dateStyle: style, timeZone: "UTC" }, `${iso}T12:00:00Z`) });

// Local midnight: Doha (UTC+3, no DST), London and Beirut on their DST change days.
const MIDNIGHTS = [
  ["Asia/Qatar", ["2025-09-13T20:59:59Z", "2025-09-13T21:00:00Z", "2025-02-28T21:00:00Z"]],
  ["Europe/London", ["2025-03-29T23:59:59Z", "2025-03-30T00:00:00Z", "2025-03-30T01:00:00Z",
                     "2025-10-25T22:59:59Z", "2025-10-25T23:00:00Z", "2025-10-26T00:30:00Z",
                     "2025-10-26T01:30:00Z"]],
  ["Asia/Beirut", ["2025-03-29T21:59:59Z", "2025-03-29T22:00:00Z", "2025-10-25T20:59:59Z",
                   "2025-10-25T21:00:00Z", "2025-10-25T22:00:00Z"]],
];
const midnights = [];
for (const [tz, instants] of MIDNIGHTS)
  for (const when of instants)
    for (const calendar of Object.keys(CALENDARS))
      midnights.push({ when, locale: "ar", calendar, style: "full", digits: null, time: "medium",
                       tz, expected: fmt("ar", calendar, null,
                         { dateStyle: "full", timeStyle: "medium", timeZone: tz }, when) });

// Relative times, for the units Babel picks itself.
const relative = [];
for (const [seconds, unit, n] of [[3 * 3600, "hour", 3], [2 * 3600, "hour", 2], [300, "minute", 5],
                                  [3 * 86400, "day", 3], [11 * 3600, "hour", 11]])
  for (const locale of ["ar", "ar-QA", "ar-MA"])
    relative.push({ seconds, locale,
                    expected: new Intl.RelativeTimeFormat(locale).format(-n, unit) });

write("icu_calendar.json", { monthEdges, boundary, leapDays, midnights, relative });
