import { describe, expect, it } from "vitest";
import { mac } from "../../src/engine/indicators/mac.js";
import { scan } from "./recorder.js";

describe("mac", () => {
  it.each([
    ["00:1a:2b:3c:4d:5e", "00:1a:2b:3c:4d:5e"],
    ["00:1A:2B:3C:4D:5E", "00:1a:2b:3c:4d:5e"],
    ["00-1A-2b-3C-4d-5E", "00:1a:2b:3c:4d:5e"],
    ["001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"],
    ["001A.2B3C.4D5E", "00:1a:2b:3c:4d:5e"],
    ["  ff:ff:ff:ff:ff:ff\n", "ff:ff:ff:ff:ff:ff"],
    [" 001a.2b3c.4d5e  ", "00:1a:2b:3c:4d:5e"],
  ])("accepts %j and stores the lowercase colon form", (input, stored) => {
    expect(scan(mac, input)).toEqual([["p_any_mac_addresses", stored]]);
  });

  it.each([
    ["00:1a:2b-3c:4d:5e", "mixed separators"],
    ["00:1a:2b:3c:4d", "five octets"],
    ["00:1a:2b:3c:4d:5e:6f", "seven octets"],
    ["0:1a:2b:3c:4d:5e", "a one-digit octet"],
    ["00:1a:2b:3c:4d:5g", "a non-hex digit"],
    ["00.1a.2b.3c.4d.5e", "dots between octets"],
    ["001a2b3c4d5e", "no separators"],
    ["001a:2b3c:4d5e", "colons in the dotted form"],
    ["00 1a 2b 3c 4d 5e", "spaces as separators"],
    ["", "nothing"],
  ])("rejects %j (%s)", (input) => {
    expect(scan(mac, input)).toEqual([]);
  });
});
