/**
 * The real Kubernetes client and output reader against loopback fakes: an HTTPS "API server" with a
 * certificate from a test CA, reached through the kubeconfig the program itself builds
 * (components/eks/kubernetesProvider.ts), with the exec token command faked.
 */
import { expect } from "chai";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { kubeconfig } from "../../../components/eks/kubernetesProvider";
import { KubeError, kubeconfigClient } from "../../../tools/verify/kube";
import { pulumiOutputReader } from "../../../tools/verify/stack";
import { makeTestPki, type TestPki } from "./testPki";

describe("tools/verify: the Kubernetes client from the stack's kubeconfig", function () {
    let pki: TestPki | undefined;
    let server: https.Server;
    let port: number;
    const seen: { method: string; url: string; authorization: string; body: string }[] = [];

    before(async function () {
        this.timeout(30000);
        // The API server's certificate is for "localhost", as the kubeconfig's server address is.
        pki = makeTestPki("localhost");
        if (pki === undefined) {
            this.skip();
        }
        server = https.createServer({ key: pki.valid.key, cert: pki.valid.cert }, (req, res) => {
            let body = "";
            req.on("data", (c: Buffer) => (body += c.toString()));
            req.on("end", () => {
                seen.push({ method: req.method ?? "", url: req.url ?? "", authorization: String(req.headers.authorization), body });
                res.setHeader("content-type", "application/json");
                if (req.url === "/apis/batch/v1/namespaces/app-api/jobs/missing") {
                    res.statusCode = 404;
                    res.end(JSON.stringify({ kind: "Status", message: 'jobs.batch "missing" not found' }));
                } else {
                    res.end(JSON.stringify({ kind: "Job", method: req.method }));
                }
            });
        });
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        port = (server.address() as AddressInfo).port;
    });

    after(async () => {
        if (server !== undefined) {
            server.closeAllConnections();
            await new Promise((r) => server.close(r));
        }
    });

    const client = (tokens: string[], calls: string[][]) =>
        kubeconfigClient(
            JSON.stringify(
                kubeconfig({
                    clusterName: "platform-dev-eks",
                    endpoint: `https://localhost:${port}`,
                    certificateAuthorityData: Buffer.from(pki!.ca).toString("base64"),
                    region: "eu-west-1",
                }),
            ),
            async (command, args) => {
                calls.push([command, ...args]);
                const token = tokens.shift() ?? "last";
                // The first token is about to expire, so the client fetches another for the next call.
                const expires = token === "short" ? new Date(Date.now() + 1000) : new Date(Date.now() + 600_000);
                return JSON.stringify({ kind: "ExecCredential", status: { token, expirationTimestamp: expires.toISOString() } });
            },
        );

    it("authenticates with the kubeconfig's aws eks get-token, verifying the API server against the cluster CA", async () => {
        const calls: string[][] = [];
        const kube = client(["short", "fresh"], calls);
        expect(await kube.get("/apis/batch/v1/namespaces/app-api/jobs/a")).to.deep.equal({ kind: "Job", method: "GET" });
        await kube.create("/apis/batch/v1/namespaces/app-api/jobs", { kind: "Job" });
        expect(calls).to.deep.equal([
            ["aws", "eks", "get-token", "--cluster-name", "platform-dev-eks", "--region", "eu-west-1", "--output", "json"],
            ["aws", "eks", "get-token", "--cluster-name", "platform-dev-eks", "--region", "eu-west-1", "--output", "json"],
        ]);
        expect(seen.slice(-2).map((s) => [s.method, s.authorization, s.body])).to.deep.equal([
            ["GET", "Bearer short", ""],
            ["POST", "Bearer fresh", '{"kind":"Job"}'],
        ]);
    });

    it("reports API errors with their status and message; a DELETE of a missing object is not an error", async () => {
        const kube = client(["t"], []);
        const error = await kube.get("/apis/batch/v1/namespaces/app-api/jobs/missing").catch((e: unknown) => e);
        expect(error).to.be.instanceOf(KubeError);
        expect((error as KubeError).status).to.equal(404);
        expect((error as KubeError).message).to.equal('GET /apis/batch/v1/namespaces/app-api/jobs/missing: 404 jobs.batch "missing" not found');
        await kube.remove("/apis/batch/v1/namespaces/app-api/jobs/missing");
        expect(seen[seen.length - 1]).to.deep.include({ method: "DELETE" });
        expect(JSON.parse(seen[seen.length - 1].body)).to.deep.equal({ kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" });
    });

    it("refuses an API server whose certificate the cluster CA did not sign", async () => {
        const other = makeTestPki("localhost")!;
        const kube = kubeconfigClient(
            JSON.stringify(
                kubeconfig({
                    clusterName: "c",
                    endpoint: `https://localhost:${port}`,
                    certificateAuthorityData: Buffer.from(other.ca).toString("base64"),
                    region: "eu-west-1",
                }),
            ),
            async () => JSON.stringify({ status: { token: "t" } }),
        );
        const error = (await kube.get("/api").catch((e: unknown) => e)) as NodeJS.ErrnoException;
        expect(error.code).to.match(/SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
    });
});

describe("tools/verify: the stack output reader", () => {
    it("asks the Pulumi CLI for the stack's outputs as JSON with secrets, and keeps the ones verification uses", async () => {
        const calls: string[][] = [];
        const read = pulumiOutputReader(async (command, args) => {
            calls.push([command, ...args]);
            return JSON.stringify({
                applicationUrls: {},
                applicationNamespaces: {},
                clusterName: "platform-dev-eks",
                kubeconfig: { kind: "Config" },
                vpcId: "vpc-1",
            });
        });
        expect(await read("dev")).to.deep.equal({
            applicationUrls: {},
            applicationNamespaces: {},
            clusterName: "platform-dev-eks",
            kubeconfig: '{"kind":"Config"}',
        });
        expect(calls).to.deep.equal([["pulumi", "stack", "output", "--json", "--show-secrets", "--stack", "dev"]]);
    });
});
