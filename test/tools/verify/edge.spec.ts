/**
 * The edge checks against loopback fakes only: an HTTPS server with a certificate from a test CA made
 * here, an HTTP server, and a resolver that answers 127.0.0.1. The real TLS and HTTP clients of the tool
 * are used, pointed at the test ports and the test CA; nothing leaves this machine.
 */
import { expect } from "chai";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { ingressDefaults } from "../../../components/apps/ingress";
import type { ApplicationConfig, WafConfig } from "../../../config";
import { edgeChecks, nodeHttpGet, nodeTlsHandshake, pathMatches, wafProbe, type EdgeDeps } from "../../../tools/verify/edge";
import type { CheckResult } from "../../../tools/verify/report";
import { TLS_POLICIES } from "../../../tools/verify/tlsPolicy";
import { resolve as resolveStack } from "../../config/resolve";
import { makeTestPki, type KeyPair, type TestPki } from "./testPki";

const HOST = "app.test.example";
const POLICY = TLS_POLICIES[ingressDefaults.sslPolicy];
/** What the fake ALB does; each test breaks one thing. */
interface FakeAlb {
    cert: KeyPair;
    /** The TLS 1.2 ciphers it accepts (OpenSSL list); the policy's by default. */
    ciphers?: string;
    redirect: "https" | "none" | "elsewhere";
    wafBlocks: boolean;
    healthStatus: number;
}

const waf: WafConfig = resolveStack("dev").waf;
const app = (name: string, paths: string[], readinessPath: string): ApplicationConfig =>
    ({ ...resolveStack("dev").apps[0], name, host: HOST, paths, readinessPath }) as ApplicationConfig;
const apps = [app("api", ["/api/*"], "/health"), app("web", ["/*"], "/")];
const applicationUrls = { api: `https://${HOST}`, web: `https://${HOST}` };

async function listen(server: http.Server | https.Server): Promise<number> {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return (server.address() as AddressInfo).port;
}

async function runAgainst(pki: TestPki, alb: FakeAlb, resolver?: EdgeDeps["resolve"]): Promise<CheckResult[]> {
    const tls12 = POLICY.ciphers.filter((c) => !c.startsWith("TLS_")).join(":");
    const httpsServer = https.createServer({ key: alb.cert.key, cert: alb.cert.cert, ciphers: alb.ciphers ?? tls12, minVersion: "TLSv1.2" }, (req, res) => {
        const url = req.url ?? "/";
        const bad = String(req.headers["x-api-version"] ?? "").includes("${jndi:") || /%27%20OR%20/i.test(url);
        res.statusCode = bad && alb.wafBlocks ? 403 : url === "/" || url === "/health" ? alb.healthStatus : 200;
        res.end();
    });
    const httpServer = http.createServer((req, res) => {
        if (alb.redirect === "none") {
            res.statusCode = 200;
        } else {
            res.statusCode = 301;
            res.setHeader("location", `https://${alb.redirect === "https" ? String(req.headers.host) : "elsewhere.example"}:443${req.url ?? "/"}`);
        }
        res.end();
    });
    const [httpsPort, httpPort] = [await listen(httpsServer), await listen(httpServer)];
    try {
        const network = { httpsPort, httpPort, ca: pki.ca, timeoutMs: 5000 };
        const deps: EdgeDeps = {
            resolve: resolver ?? (async (host) => (host === HOST ? ["127.0.0.1"] : [])),
            tlsHandshake: nodeTlsHandshake(network),
            httpGet: nodeHttpGet(network),
        };
        return await edgeChecks(deps, { applicationUrls, apps, waf, tlsPolicy: POLICY, now: new Date() });
    } finally {
        httpsServer.closeAllConnections();
        httpServer.closeAllConnections();
        await Promise.all([new Promise((r) => httpsServer.close(r)), new Promise((r) => httpServer.close(r))]);
    }
}

const byName = (results: CheckResult[], name: string): CheckResult => {
    const found = results.find((r) => r.name === name);
    expect(found, `${name} in ${results.map((r) => r.name).join(", ")}`).to.not.equal(undefined);
    return found!;
};

describe("tools/verify: edge checks against a loopback ALB", function () {
    let pki: TestPki | undefined;
    const good = (): FakeAlb => ({ cert: pki!.valid, redirect: "https", wafBlocks: true, healthStatus: 200 });

    before(function () {
        this.timeout(30000);
        pki = makeTestPki(HOST);
        if (pki === undefined) {
            console.log("    (openssl is not installed: the loopback TLS tests are skipped)");
            this.skip();
        }
    });

    it("knows the TLS policy the program sets on every ALB", () => {
        expect(POLICY, ingressDefaults.sslPolicy).to.not.equal(undefined);
        expect(POLICY.protocols).to.deep.equal(["TLSv1.3", "TLSv1.2"]);
    });

    it("a correct edge passes every check; a health path outside the app's ALB paths is skipped with the reason", async () => {
        const results = await runAgainst(pki!, good());
        expect(results.map((r) => `${r.status} ${r.name}`)).to.deep.equal([
            `pass dns ${HOST}`,
            `pass tls ${HOST}`,
            `pass redirect ${HOST}`,
            `pass waf ${HOST}`,
            "skip health api",
            "pass health web",
        ]);
        expect(byName(results, `tls ${HOST}`).detail).to.match(/^certificate valid for app\.test\.example \(chain verified, 1 days left\), TLSv1\.3 TLS_/);
        expect(byName(results, "health api").detail).to.include("the readiness path /health is outside the app's ALB paths (/api/*)");
        expect(byName(results, `waf ${HOST}`).detail).to.include("AWSManagedRulesKnownBadInputsRuleSet/Log4JRCE_HEADER");
    });

    it("fails a certificate issued for another host", async () => {
        const tls = byName(await runAgainst(pki!, { ...good(), cert: pki!.wrongHost }), `tls ${HOST}`);
        expect(tls.status).to.equal("fail");
        expect(tls.detail).to.match(/^no valid certificate for app\.test\.example at 127\.0\.0\.1: ERR_TLS_CERT_ALTNAME_INVALID/);
    });

    it("fails an expired certificate", async () => {
        const tls = byName(await runAgainst(pki!, { ...good(), cert: pki!.expired }), `tls ${HOST}`);
        expect(tls.status).to.equal("fail");
        expect(tls.detail).to.include("CERT_HAS_EXPIRED");
    });

    it("fails a certificate from a CA the client does not trust", async () => {
        const results = await runAgainst(pki!, { ...good(), cert: pki!.untrusted });
        expect(byName(results, `tls ${HOST}`).detail).to.match(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
        // The HTTPS requests verify the same way: no WAF or health result on an unverified connection.
        expect(byName(results, `waf ${HOST}`).status).to.equal("fail");
    });

    it("fails a listener that accepts TLS 1.2 without forward secrecy (a weaker policy)", async () => {
        const tls = byName(await runAgainst(pki!, { ...good(), ciphers: "ECDHE-RSA-AES128-GCM-SHA256:AES128-GCM-SHA256" }), `tls ${HOST}`);
        expect(tls.status).to.equal("fail");
        expect(tls.detail).to.equal("accepted TLS 1.2 AES128-GCM-SHA256 without forward secrecy: the listener runs a weaker policy than the program sets");
    });

    it("fails when HTTP does not redirect, or redirects to another host", async () => {
        const none = byName(await runAgainst(pki!, { ...good(), redirect: "none" }), `redirect ${HOST}`);
        expect(none).to.deep.equal({ name: `redirect ${HOST}`, status: "fail", detail: `http://${HOST}/ answered 200, not a redirect to HTTPS` });
        const elsewhere = byName(await runAgainst(pki!, { ...good(), redirect: "elsewhere" }), `redirect ${HOST}`);
        expect(elsewhere.status).to.equal("fail");
        expect(elsewhere.detail).to.include("redirects to https://elsewhere.example:443/verify?redirect=1");
    });

    it("fails when the WAF lets the known-bad request through", async () => {
        const result = byName(await runAgainst(pki!, { ...good(), wafBlocks: false }), `waf ${HOST}`);
        expect(result.status).to.equal("fail");
        expect(result.detail).to.equal(
            "a Log4j JNDI lookup in a header (AWSManagedRulesKnownBadInputsRuleSet/Log4JRCE_HEADER) answered 200, expected 403 from the WAF",
        );
    });

    it("fails a health path that does not answer 200", async () => {
        const result = byName(await runAgainst(pki!, { ...good(), healthStatus: 503 }), "health web");
        expect(result).to.deep.equal({ name: "health web", status: "fail", detail: `https://${HOST}/ answered 503, expected 200` });
    });

    it("fails a host that does not resolve, and skips what needs its address", async () => {
        const results = await runAgainst(pki!, good(), async () => {
            throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${HOST}`), { code: "ENOTFOUND" });
        });
        expect(results.map((r) => `${r.status} ${r.name}`)).to.deep.equal([
            `fail dns ${HOST}`,
            `skip tls ${HOST}`,
            `skip redirect ${HOST}`,
            `skip waf ${HOST}`,
            "skip health api",
            "skip health web",
        ]);
        expect(results[0].detail).to.equal(`getaddrinfo ENOTFOUND ${HOST}`);
    });
});

describe("tools/verify: WAF probe and path matching", () => {
    it("sends the SQL injection probe when the Log4j rule only counts, and skips when both only count", () => {
        const counted = (rules: { group: string; rule: string }[]) => ({ countModeRules: rules }) as Pick<WafConfig, "countModeRules">;
        expect(wafProbe(counted([]))?.rule).to.equal("Log4JRCE_HEADER");
        expect(wafProbe(counted([{ group: "AWSManagedRulesKnownBadInputsRuleSet", rule: "Log4JRCE_HEADER" }]))?.rule).to.equal("SQLi_QUERYARGUMENTS");
        expect(
            wafProbe(
                counted([
                    { group: "AWSManagedRulesKnownBadInputsRuleSet", rule: "Log4JRCE_HEADER" },
                    { group: "AWSManagedRulesSQLiRuleSet", rule: "SQLi_QUERYARGUMENTS" },
                ]),
            ),
        ).to.equal(undefined);
    });

    it("both probes target always-on rule groups", () => {
        expect(waf.managedRuleGroups).to.include.members(["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"]);
    });

    it("matches ALB path patterns", () => {
        expect(pathMatches("/api/*", "/api/health")).to.equal(true);
        expect(pathMatches("/api/*", "/health")).to.equal(false);
        expect(pathMatches("/*", "/")).to.equal(true);
        expect(pathMatches("/a?c", "/abc")).to.equal(true);
        expect(pathMatches("/a.c", "/abc")).to.equal(false);
    });
});
