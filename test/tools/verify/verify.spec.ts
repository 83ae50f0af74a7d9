/**
 * `npm run verify` end to end with every dependency faked: usage errors exit 2, a healthy stack exits 0
 * with one line per check, a failing check exits 1 and is named in the verdict.
 */
import { expect } from "chai";
import { parseArgs, verify, type VerifyDeps } from "../../../tools/verify";
import type { EdgeDeps } from "../../../tools/verify/edge";
import { parseStackOutputs } from "../../../tools/verify/stack";
import { TLS_POLICIES } from "../../../tools/verify/tlsPolicy";
import { resolve } from "../../config/resolve";
import { fakeKube } from "./fakeKube";

const HOST = "app.dev.example.com";
const edge = (wafStatus: number): EdgeDeps => ({
    resolve: async () => ["127.0.0.1"],
    tlsHandshake: async (t) =>
        t.offer === undefined
            ? {
                  ok: true,
                  protocol: "TLSv1.3",
                  cipher: TLS_POLICIES["ELBSecurityPolicy-TLS13-1-2-Res-2021-06"].ciphers[0],
                  validTo: new Date("2027-06-01"),
                  subjectAltName: `DNS:${HOST}`,
              }
            : { ok: false, code: "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE", message: "handshake failure" },
    httpGet: async (r) =>
        r.scheme === "http"
            ? { status: 301, headers: { location: `https://${r.host}:443${r.path}` } }
            : { status: r.headers?.["x-api-version"] ? wafStatus : 200, headers: {} },
});

function deps(wafStatus: number, printed: string[]): VerifyDeps {
    const kube = fakeKube();
    kube.objects.set("/apis/velero.io/v1/namespaces/velero/schedules/velero-daily", {
        metadata: { name: "velero-daily", creationTimestamp: "2026-12-03T11:00:00Z" },
    });
    kube.objects.set("/apis/cert-manager.io/v1/clusterissuers/letsencrypt-staging", { status: { conditions: [{ type: "Ready", status: "True" }] } });
    kube.objects.set("/apis/cert-manager.io/v1/clusterissuers/letsencrypt-production", { status: { conditions: [{ type: "Ready", status: "True" }] } });
    kube.objects.set("/apis/cert-manager.io/v1/certificates", {
        items: [
            {
                metadata: { name: "c", namespace: "n" },
                spec: { issuerRef: { name: "letsencrypt-staging", kind: "ClusterIssuer" } },
                status: { conditions: [{ type: "Ready", status: "True" }] },
            },
        ],
    });
    return {
        readOutputs: async () =>
            parseStackOutputs(
                JSON.stringify({
                    applicationUrls: { api: `https://${HOST}`, web: `https://${HOST}` },
                    applicationNamespaces: { api: "app-api", web: "app-web" },
                    clusterName: "c",
                    kubeconfig: {},
                }),
            ),
        readConfig: (stack) => resolve(stack as "dev"),
        edge: edge(wafStatus),
        kube: () => kube,
        clock: { now: () => new Date("2026-12-03T12:00:00Z"), sleep: async () => undefined },
        print: (text) => printed.push(text),
    };
}

describe("tools/verify: the command", () => {
    it("exits 2 on bad usage, naming the problem", async () => {
        for (const [argv, problem] of [
            [[], "--stack is required"],
            [["--stack"], "--stack needs a value"],
            [["--stack", "Dev!"], '--stack "Dev!" is not a stack name'],
            [
                ["--stack", "dev", "--check-image", "repo:latest"],
                '--check-image "repo:latest" is not pinned by digest; expected REPOSITORY@sha256:<64 hex digits>',
            ],
            [["--stak", "dev"], 'unknown argument "--stak"'],
        ] as const) {
            const printed: string[] = [];
            expect(await verify(argv, deps(403, printed)), problem).to.equal(2);
            expect(printed[0]).to.equal(`${problem}\nusage: npm run verify -- --stack NAME [--check-image REPOSITORY@sha256:DIGEST]`);
        }
        expect(parseArgs(["--stack", "prod", "--check-image", `r@sha256:${"0".repeat(64)}`])).to.deep.equal({
            stack: "prod",
            checkImage: `r@sha256:${"0".repeat(64)}`,
        });
    });

    it("exits 0 on a healthy stack, one line per check", async () => {
        const printed: string[] = [];
        expect(await verify(["--stack", "dev"], deps(403, printed))).to.equal(0);
        const lines = printed[0].split("\n");
        expect(lines[0]).to.equal("Verification of stack dev");
        expect(
            lines.slice(1, -1).map((l) =>
                l
                    .split(/\s{2,}/)
                    .slice(0, 2)
                    .join(" "),
            ),
        ).to.deep.equal([
            `PASS dns ${HOST}`,
            `PASS tls ${HOST}`,
            `PASS redirect ${HOST}`,
            `PASS waf ${HOST}`,
            // The reference application serves its readiness under /api/*, the path the ALB routes to it.
            "PASS health api",
            "PASS health web",
            "SKIP data api",
            "SKIP data web",
            "SKIP backup velero-daily",
            "PASS letsencrypt",
        ]);
        expect(lines[lines.length - 1]).to.equal("Verification of stack dev passed (7 pass, 0 fail, 3 skip).");
    });

    it("exits 1 and names what failed", async () => {
        const printed: string[] = [];
        expect(await verify(["--stack", "dev"], deps(200, printed))).to.equal(1);
        expect(printed[0].split("\n").pop()).to.equal(`Verification of stack dev FAILED (6 pass, 1 fail, 3 skip): waf ${HOST}`);
    });

    it("fails on a stack without the outputs it needs", () => {
        expect(() => parseStackOutputs("{}")).to.throw(
            "the stack has no output applicationUrls, applicationNamespaces, clusterName, kubeconfig: was it deployed from this program (pulumi up)?",
        );
    });
});
