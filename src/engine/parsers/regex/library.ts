/**
 * The built-in grok patterns, usable as `%{NAME}` and `%{NAME:field}` in regex parsers. The names
 * are Panther's (so its schemas run unchanged, and a user definition may not reuse one); the
 * expressions are hexlog's own, written so that V8's linear-time engine can run every one of them
 * (nested counted repetition stays within its limit, see linear.ts). Differences from Panther:
 * HEXDIGIT accepts all of A–F, hostname labels may be longer than 63 characters, and IPv6 zone ids
 * are word characters only.
 */

const H = "[0-9A-Fa-f]{1,4}";

/** `n` IPv6 groups written out: H:H:…:H. */
function groups(n: number): string {
  return Array.from({ length: n }, () => H).join(":");
}

/** Up to `n` groups, each followed by ":", as nested optionals (so the longest is tried first). */
function leadingGroups(n: number): string {
  return n === 0 ? "" : `(?:${H}:${leadingGroups(n - 1)})?`;
}

/** Up to `n` groups separated by ":" (what follows "::"), longest first. */
function trailingGroups(n: number): string {
  const more = (k: number): string => (k === 0 ? "" : `(?::${H}${more(k - 1)})?`);
  return n === 0 ? "" : `(?:${H}${more(n - 1)})?`;
}

/**
 * IPv6 in every RFC 4291 text form: eight groups, "::" compression, and a trailing IPv4 part,
 * with an optional zone. Forms ending in IPv4 come first and more explicit groups before fewer,
 * so the longest reading wins when the pattern goes on with anything-goes text.
 *
 * This is the list of forms (ipv6Forms) with their common leading groups factored out, which
 * matches the same text in the same order of preference (see ipv6Factored) but does not try
 * each of the seventeen forms on every line: an IPv4 address or a host name is turned away after
 * its first group instead of once per form.
 */
function ipv6(): string {
  return `(?:${ipv6Factored()})(?:%\\w+)?`;
}

/** The forms one by one, in order of preference (the reading ipv6Factored is checked against). */
export function ipv6Forms(): string {
  const alts: string[] = [];
  alts.push(`${groups(6)}:%{IPV4}`);
  for (let left = 5; left >= 0; left--) {
    alts.push(`${left > 0 ? groups(left) : ""}::${leadingGroups(5 - left)}%{IPV4}`);
  }
  alts.push(groups(8));
  for (let left = 7; left >= 0; left--) {
    alts.push(`${left > 0 ? groups(left) : ""}::${trailingGroups(7 - left)}`);
  }
  return alts.join("|");
}

/**
 * ipv6Forms as a tree of shared prefixes. Factoring `P X|P Y` into `P(?:X|Y)` keeps a regex's
 * meaning when P matches in at most one way, which `H:` does (a group's hex digits must run up to
 * the colon, and a colon is no hex digit); forms whose next characters differ (a hex digit or a
 * colon) never both match, so they may be grouped by that character. The one overlap, IPv4
 * after six groups against a seventh group (digits are hex digits), keeps its order: IPv4 first.
 */
export function ipv6Factored(): string {
  // After `d` leading groups, each followed by ":".
  const after = (d: number): string => {
    if (d === 7) return `${H}|:`;
    const alts: string[] = [];
    if (d === 6) alts.push("%{IPV4}");
    alts.push(`${H}:(?:${after(d + 1)})`);
    alts.push(d <= 5 ? `:(?:${leadingGroups(5 - d)}%{IPV4}|${trailingGroups(7 - d)})` : `:${trailingGroups(7 - d)}`);
    return alts.join("|");
  };
  return `${H}:(?:${after(1)})|::(?:${leadingGroups(5)}%{IPV4}|${trailingGroups(7)})`;
}

export const BUILTIN_PATTERNS: Readonly<Record<string, string>> = {
  USERNAME: "[a-zA-Z0-9._-]+",
  USER: "%{USERNAME}",
  INT: "[+-]?[0-9]+",
  BASE10NUM: "[+-]?(?:[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)",
  NUMBER: "%{BASE10NUM}",
  BASE16NUM: "[+-]?(?:0[xX])?[0-9A-Fa-f]+",
  POSINT: "\\b[1-9][0-9]*\\b",
  NONNEGINT: "\\b[0-9]+\\b",
  WORD: "\\b\\w+\\b",
  NOTSPACE: "\\S+",
  SPACE: "\\s*",
  DATA: ".*?",
  GREEDYDATA: ".*",
  QUOTEDSTRING: `"(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'`,
  HEXDIGIT: "[0-9A-Fa-f]",
  UUID: "%{HEXDIGIT}{8}-(?:%{HEXDIGIT}{4}-){3}%{HEXDIGIT}{12}",
  CISCOMAC: "(?:[A-Fa-f0-9]{4}\\.){2}[A-Fa-f0-9]{4}",
  WINDOWSMAC: "(?:[A-Fa-f0-9]{2}-){5}[A-Fa-f0-9]{2}",
  COMMONMAC: "(?:[A-Fa-f0-9]{2}:){5}[A-Fa-f0-9]{2}",
  MAC: "%{CISCOMAC}|%{WINDOWSMAC}|%{COMMONMAC}",
  IPV4INT: "25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9]",
  IPV4: "\\b%{IPV4INT}(?:\\.%{IPV4INT}){3}\\b",
  IPV6: ipv6(),
  IP: "%{IPV6}|%{IPV4}",
  HOSTNAME: "\\b[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?(?:\\.[0-9A-Za-z](?:[0-9A-Za-z-]*[0-9A-Za-z])?)*(?:\\.|\\b)",
  IPORHOST: "%{IP}|%{HOSTNAME}",
  HOSTPORT: "%{IPORHOST}:%{POSINT}",
  UNIXPATH: "(?:/[\\w%!$@:.,+~-]*)+",
  WINPATH: "(?:[A-Za-z]:|\\\\)(?:\\\\[^\\\\?*]*)+",
  PATH: "%{UNIXPATH}|%{WINPATH}",
  TTY: "/dev/(?:pts|tty[pq]?)\\w*/?[0-9]+",
  URIPROTO: "[A-Za-z][A-Za-z0-9+.-]*",
  URIHOST: "%{IPORHOST}(?::%{POSINT})?",
  URIPATH: "(?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_-]*)+",
  URIPARAM: "\\?[A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\\[\\]<>-]*",
  URIPATHPARAM: "%{URIPATH}(?:%{URIPARAM})?",
  URI: "%{URIPROTO}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST})?(?:%{URIPATHPARAM})?",
  MONTH: "\\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b",
  MONTHNUM: "0?[1-9]|1[0-2]",
  MONTHNUM2: "0[1-9]|1[0-2]",
  MONTHDAY: "0[1-9]|[12][0-9]|3[01]|[1-9]",
  DAY: "\\b(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\\b",
  YEAR: "(?:[0-9]{2}){1,2}",
  HOUR: "2[0-3]|[01]?[0-9]",
  MINUTE: "[0-5][0-9]",
  SECOND: "(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?",
  KITCHEN: "%{HOUR}:%{MINUTE}",
  TIME: "%{HOUR}:%{MINUTE}:%{SECOND}",
  DATE_US: "%{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}",
  DATE_EU: "%{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}",
  ISO8601_TIMEZONE: "Z|[+-]%{HOUR}(?::?%{MINUTE})?",
  ISO8601_SECOND: "%{SECOND}|60",
  TIMESTAMP_ISO8601: "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?",
  DATE: "%{DATE_US}|%{DATE_EU}",
  DATETIME: "%{DATE}[- ]%{TIME}",
  TZ: "[A-Z]{3}",
  TZOFFSET: "[+-][0-9]{4}",
  TIMESTAMP_RFC822: "%{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}",
  TIMESTAMP_RFC2822: "%{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}",
  TIMESTAMP_OTHER: "%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}",
  TIMESTAMP_EVENTLOG: "%{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}",
  SYSLOGTIMESTAMP: "%{MONTH} +%{MONTHDAY} %{TIME}",
  HTTPDATE: "%{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{TZOFFSET}",
  NS: "%{NOTSPACE}",
  QS: "%{QUOTEDSTRING}",
  HOST: "%{HOSTNAME}",
  PID: "%{POSINT}",
};
