import { isIP, isIPv4 } from "node:net";
import { describe, expect, it } from "vitest";
import {
  domain,
  hostname,
  ip,
  isDottedQuad,
  isStrictIP,
  netAddr,
  splitHostPort,
  url,
} from "../../src/engine/indicators/network.js";
import { scan, type Found } from "./recorder.js";

const ipOf = (v: string): Found[] => [["p_any_ip_addresses", v]];
const domainOf = (v: string): Found[] => [["p_any_domain_names", v]];

describe("ip", () => {
  it.each([
    ["1.2.3.4", "1.2.3.4"],
    ["  10.0.0.1\t", "10.0.0.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["::", "::"],
    ["::1", "::1"],
    ["2001:DB8::1", "2001:DB8::1"],
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:0db8:0000:0000:0000:0000:0000:0001"],
    ["::ffff:1.2.3.4", "::ffff:1.2.3.4"],
  ])("accepts %j and stores it trimmed but otherwise as written", (input, stored) => {
    expect(scan(ip, input)).toEqual(ipOf(stored));
  });

  it.each(["1.1.1", "010.1.1.1", "1.2.3.04", "0x7f.0.0.1", "4294967295"])(
    "rejects legacy IPv4 form %j that ipaddr.js would accept",
    (input) => {
      expect(scan(ip, input)).toEqual([]);
    },
  );

  it.each(["[::1]", "fe80::1%eth0", "fe80::1%1", "1.2.3.4:80", "[::1]:80", "1.2.3.256", "1:2:3:4:5:6:7:8:9"])(
    "rejects %j: brackets, zones, ports and out-of-range parts",
    (input) => {
      expect(scan(ip, input)).toEqual([]);
    },
  );

  it.each(["", "   ", "example.com", "cafe", "deadbeef", "a.b.c.d"])("rejects non-address %j", (input) => {
    expect(scan(ip, input)).toEqual([]);
  });
});

describe("the IP test without net.isIP's regular expressions", () => {
  const tricky = [
    "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.256", "249.250.199.100", "01.2.3.4", "1.2.3.00",
    "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "1.2.3.4 ", "1.2.3.a", "",
    "1", "12", "9.9.9.9", "99.99.99.99", "100.0.10.1", "1.2.3.4\n", "٣.1.1.1", "1.2.3.-4", "+1.2.3.4",
  ];

  it.each(tricky)("decides %j as net.isIPv4 does", (v) => {
    expect(isDottedQuad(v)).toBe(isIPv4(v));
  });

  it("agrees with net.isIPv4 on 20 000 near-IPv4 texts drawn from a fixed seed", () => {
    // A small linear congruential generator: the same texts on every run.
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const octet = (): string => {
      const r = next(20);
      if (r === 0) return "";
      if (r === 1) return `0${next(10)}`;
      if (r === 2) return String(next(10000));
      return String(next(300));
    };
    let accepted = 0;
    for (let k = 0; k < 20_000; k++) {
      const parts = Array.from({ length: next(5) === 0 ? 3 + 2 * next(2) : 4 }, octet);
      let v = parts.join(next(20) === 0 ? ".." : ".");
      if (next(20) === 0) v += ".";
      accepted += isIPv4(v) ? 1 : 0;
      expect([v, isDottedQuad(v)]).toEqual([v, isIPv4(v)]);
    }
    // Both verdicts are well represented.
    expect(accepted).toBeGreaterThan(2000);
    expect(accepted).toBeLessThan(18_000);
  });

  const trickyV6 = [
    "::", ":", ":::", "::1", "1::", "1:", ":1", "::1:", "1::2::3", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "12345::1", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
    "::1.2.3.4", "1::1.2.3.4", "::ffff:01.2.3.4", "::1.2.3.4:5", "::a.2.3.4", "::1.2.3", "1:2:3:4:5::1.2.3.4",
    "1:2:3:4:5:6::1.2.3.4", "::FFFF:1.2.3.4", "abcd:ef01:2345:6789:ABCD:EF01:2345:6789", "g::1",
    "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "1.2.3.4::", "::1.2.3.4.5", "0:0:0:0:0:0:0:0", "::0.0.0.0", "1::2:3.4",
  ];

  it.each([...tricky, ...trickyV6, "::", "::1", "2001:db8::1", "fe80::1:2:3:4:5:6:7", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9", ":::", "a.b.c.d", "dead:beef"])(
    "isStrictIP(%j) is net.isIP's verdict",
    (v) => {
      expect(isStrictIP(v)).toBe(isIP(v) !== 0);
    },
  );
});

describe("the IPv6 test without net.isIPv6's regular expression", () => {
  it("agrees with net.isIP on 50 000 near-IPv6 texts drawn from a fixed seed", () => {
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const digits = "0123456789abcdefABCDEFg";
    const group = (): string => {
      const r = next(30);
      if (r === 0) return "";
      if (r === 1) return `${next(300)}.${next(300)}.${next(300)}.${next(300)}`;
      if (r === 2) return `${next(256)}.${next(256)}.${next(256)}`;
      return Array.from({ length: 1 + next(r === 3 ? 6 : 4) }, () => digits[next(r === 4 ? 23 : 22)]).join("");
    };
    let accepted = 0;
    for (let k = 0; k < 50_000; k++) {
      const parts = Array.from({ length: 1 + next(9) }, group);
      let v = parts.join(":");
      // One gap (sometimes two) somewhere, or none.
      for (let gaps = next(3) === 0 ? 0 : 1 + (next(15) === 0 ? 1 : 0); gaps > 0; gaps--) {
        const at = next(v.length + 1);
        v = `${v.slice(0, at)}::${v.slice(at)}`;
      }
      const verdict = isIP(v) !== 0;
      accepted += verdict ? 1 : 0;
      expect([v, isStrictIP(v)]).toEqual([v, verdict]);
    }
    // Both verdicts are well represented.
    expect(accepted).toBeGreaterThan(2000);
    expect(accepted).toBeLessThan(45_000);
  });
});

describe("domain", () => {
  it.each([
    ["example.com", "example.com"],
    [" Example.COM ", "Example.COM"],
    ["a:b:c", "a:b:c"],
    ["not a domain at all", "not a domain at all"],
  ])("accepts any non-empty value %j without validation, keeping case", (input, stored) => {
    expect(scan(domain, input)).toEqual(domainOf(stored));
  });

  it.each([
    ["xn--bcher-kva.example", "bücher.example"],
    ["www.xn--bcher-kva.example", "www.bücher.example"],
    ["WWW.XN--BCHER-KVA.Example", "WWW.bücher.Example"],
    ["xn--ls8h.la", "💩.la"],
    ["xn--p1ai", "рф"],
  ])("decodes every punycode label of %j to Unicode", (input, stored) => {
    expect(scan(domain, input)).toEqual(domainOf(stored));
  });

  it.each(["xn--", "xn--zz-zz.example", "xn--abc-.example", "xn--a.b"])(
    "keeps %j as written when a punycode label does not decode to Unicode",
    (input) => {
      expect(scan(domain, input)).toEqual(domainOf(input));
    },
  );

  it("keeps the good labels decoded when another label fails", () => {
    expect(scan(domain, "xn--zz-zz.xn--bcher-kva.example")).toEqual(domainOf("xn--zz-zz.bücher.example"));
  });

  it.each(["", " ", "\t\n"])("adds nothing for the blank value %j", (input) => {
    expect(scan(domain, input)).toEqual([]);
  });
});

describe("hostname", () => {
  it("sends an IP address to ip_addresses only", () => {
    expect(scan(hostname, " 192.168.0.1 ")).toEqual(ipOf("192.168.0.1"));
    expect(scan(hostname, "::1")).toEqual(ipOf("::1"));
  });

  it("sends anything else through the domain rule, punycode included", () => {
    expect(scan(hostname, "db-01.internal")).toEqual(domainOf("db-01.internal"));
    expect(scan(hostname, "xn--bcher-kva.example")).toEqual(domainOf("bücher.example"));
    expect(scan(hostname, "1.1.1")).toEqual(domainOf("1.1.1"));
    expect(scan(hostname, "fe80::1%eth0")).toEqual(domainOf("fe80::1%eth0"));
  });

  it("adds nothing for a blank value", () => {
    expect(scan(hostname, "  ")).toEqual([]);
  });
});

describe("url", () => {
  it.each([
    ["https://example.com/path?q=1", domainOf("example.com")],
    ["  http://user:pw@Example.COM:8080/x  ", domainOf("example.com")],
    ["HTTP://WWW.EXAMPLE.COM", domainOf("www.example.com")],
    ["s3://my-bucket/key", domainOf("my-bucket")],
    ["foo://Host.Example/path", domainOf("Host.Example")],
    ["http://1.2.3.4:9000/", ipOf("1.2.3.4")],
    ["http://[2001:db8::1]:443/", ipOf("2001:db8::1")],
    ["http://0x7f.1/", ipOf("127.0.0.1")],
  ])("takes the host of %j and applies the hostname rule", (input, found) => {
    expect(scan(url, input)).toEqual(found);
  });

  it("decodes the punycode WHATWG produces back to Unicode", () => {
    expect(scan(url, "http://Bücher.example/")).toEqual(domainOf("bücher.example"));
    expect(scan(url, "https://xn--bcher-kva.example/")).toEqual(domainOf("bücher.example"));
  });

  it.each([
    ["example.com/path", "no scheme://"],
    ["http:example.com", "no //, though WHATWG would accept it"],
    ["mailto:a@example.com", "no authority"],
    ["file:///etc/passwd", "an empty host"],
    ["http://%zz/", "a bad percent escape"],
    ["http://exa mple.com/", "a space in the host"],
    ["://example.com", "an empty scheme"],
    ["", "nothing at all"],
  ])("rejects %j (%s)", (input) => {
    expect(scan(url, input)).toEqual([]);
  });
});

describe("net_addr", () => {
  it.each([
    ["example.com:443", domainOf("example.com")],
    ["1.2.3.4:80", ipOf("1.2.3.4")],
    ["1.2.3.4:", ipOf("1.2.3.4")],
    ["[::1]:80", ipOf("::1")],
    ["[2001:db8::1]:", ipOf("2001:db8::1")],
    ["host:http", domainOf("host")],
    ["  10.1.2.3:22  ", ipOf("10.1.2.3")],
  ])("splits %j as host:port and keeps the host", (input, found) => {
    expect(scan(netAddr, input)).toEqual(found);
  });

  it.each([
    ["example.com", domainOf("example.com")],
    ["1.2.3.4", ipOf("1.2.3.4")],
    ["::1", ipOf("::1")],
    ["a:b:c", domainOf("a:b:c")],
    ["[::1]", domainOf("[::1]")],
    ["xn--bcher-kva.example", domainOf("bücher.example")],
  ])("uses the whole value %j when it does not split", (input, found) => {
    expect(scan(netAddr, input)).toEqual(found);
  });

  it.each([":80", "[]:80", "", "   "])("adds nothing when the host of %j is empty", (input) => {
    expect(scan(netAddr, input)).toEqual([]);
  });

  it("splits like Go's net.SplitHostPort", () => {
    expect(splitHostPort("h:1")).toBe("h");
    expect(splitHostPort("[h]:1")).toBe("h");
    expect(splitHostPort("h")).toBeUndefined();
    expect(splitHostPort("[h]")).toBeUndefined();
    expect(splitHostPort("[h]x:1")).toBeUndefined();
    expect(splitHostPort("[h:1")).toBeUndefined();
    expect(splitHostPort("h]:1")).toBeUndefined();
    expect(splitHostPort("[h]:1]")).toBeUndefined();
    expect(splitHostPort("a:b:c")).toBeUndefined();
  });
});
