import { describe, expect, it } from "vitest";
import {
  domain,
  hostname,
  ip,
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
