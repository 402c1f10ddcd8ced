/**
 * Connecting to NATS: what goes wrong with --creds, --token and --tls-ca comes back as one
 * message naming the flag that fixes it. Real servers: the shared one, one that wants a
 * token, one that requires TLS with a throw-away CA.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { connectNats, shownServers, type NatsTarget } from "../../src/server/nats.js";
import { tempDir } from "../helpers/cli.js";
import { freePort, natsUrl, releaseNats, startNatsServer } from "../helpers/nats.js";

let url: string;
beforeEach(async () => {
  url = await natsUrl();
});
afterAll(releaseNats);

/** Connects, closes, and gives the failure message (or "connected"). */
async function attempt(target: Omit<NatsTarget, "name">): Promise<string> {
  const r = await connectNats({ name: "hexlog test", ...target });
  if (!r.ok) return r.message;
  await r.nc.close();
  return "connected";
}

describe("connecting to NATS", () => {
  test("a port nobody listens on: connection refused, with how to start a server", async () => {
    const port = await freePort();
    expect(await attempt({ servers: `nats://127.0.0.1:${port}` })).toBe(
      `cannot connect to NATS at nats://127.0.0.1:${port}: connection refused (is nats-server running? start it with: nats-server -js)`,
    );
  });

  test("files named by --tls-ca and --creds are read first: missing, or not credentials", async () => {
    const dir = tempDir();
    expect(await attempt({ servers: url, tlsCa: join(dir, "ca.pem") })).toBe(`cannot read the TLS CA file ${join(dir, "ca.pem")}: no such file`);
    const creds = join(dir, "user.creds");
    writeFileSync(creds, "not a credentials file\n");
    expect(await attempt({ servers: url, creds })).toBe(
      `--creds ${creds} is not a NATS credentials file (it needs a "BEGIN NATS USER JWT" and a "BEGIN USER NKEY SEED" block)`,
    );
    expect(await attempt({ servers: url, creds, token: "t" })).toBe("give either --creds or --token, not both");
  });

  test("--tls-ca against a server without TLS says so", async () => {
    const ca = join(tempDir(), "ca.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
    expect(await attempt({ servers: url, tlsCa: ca })).toMatch(/^the NATS server at nats:\/\/127\.0\.0\.1:\d+ does not use TLS, but --tls-ca asks for it \(leave --tls-ca out\)$/);
  });

  test("a server that wants a token: none and a wrong one are refused, naming what was sent; the right one connects", async () => {
    const server = await startNatsServer(["--auth", "s3cret"]);
    try {
      expect(await attempt({ servers: server.url })).toMatch(/^the NATS server at nats:\/\/127\.0\.0\.1:\d+ refused the connection: .+ \(sent no credentials; give --creds or --token\)$/);
      expect(await attempt({ servers: server.url, token: "guess" })).toMatch(/refused the connection: .+ \(sent --token\)$/);
      expect(await attempt({ servers: server.url, token: "s3cret" })).toBe("connected");
    } finally {
      await server.stop();
    }
  });

  test("a server that requires TLS: unverifiable without --tls-ca, connected with the CA that signed it", async () => {
    const certs = makeCertificates(tempDir());
    const server = await startNatsServer(["--tls", "--tlscert", certs.cert, "--tlskey", certs.key]);
    try {
      expect(await attempt({ servers: server.url })).toMatch(/^TLS with the NATS server at nats:\/\/127\.0\.0\.1:\d+ failed: .+ \(give --tls-ca with the CA that signed its certificate\)$/);
      expect(await attempt({ servers: server.url, tlsCa: certs.ca })).toBe("connected");
    } finally {
      await server.stop();
    }
  });

  test("credentials written into a URL are not shown in messages", () => {
    expect(shownServers("nats://user:pw@10.0.0.1:4222,nats://tok@host:4222")).toBe("nats://10.0.0.1:4222,nats://host:4222");
  });
});

/** A throw-away CA and a certificate it signed for 127.0.0.1 (openssl; .ci/run installs it if missing). */
function makeCertificates(dir: string): { ca: string; cert: string; key: string } {
  const p = (f: string): string => join(dir, f);
  const ssl = (...args: string[]): void => void execFileSync("openssl", args, { stdio: "ignore" });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2", "-subj", "/CN=hexlog test CA");
  ssl("req", ...ec, "-keyout", p("server.key"), "-out", p("server.csr"), "-subj", "/CN=127.0.0.1");
  // The client checks the name "localhost" for 127.0.0.1, so the certificate names both.
  writeFileSync(p("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
  ssl("x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p("server.pem"), "-days", "2", "-extfile", p("san.ext"));
  return { ca: p("ca.pem"), cert: p("server.pem"), key: p("server.key") };
}
