/**
 * The Kubernetes API as verification uses it: a few JSON requests. The real client reads the stack's
 * kubeconfig (cluster endpoint, CA, and the `aws eks get-token` exec user, exactly as `kubectl` would)
 * and talks HTTPS to the API server; tests pass a fake.
 */
import * as https from "node:https";
import type { CommandRunner } from "./stack";

/** A Kubernetes API error: the status code and the API's message. */
export class KubeError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
        this.name = "KubeError";
    }
}

/** The calls verification makes. Paths are API paths (`/apis/batch/v1/namespaces/x/jobs`). */
export interface KubeClient {
    /** GET a path; a 404 throws a {@link KubeError} with status 404. */
    get<T = unknown>(path: string): Promise<T>;
    /** POST an object to a collection path; returns the created object. */
    create<T = unknown>(path: string, body: unknown): Promise<T>;
    /** DELETE an object (its dependents in the background); a 404 is not an error. */
    remove(path: string): Promise<void>;
    /** The text of a path (pod logs). */
    text(path: string): Promise<string>;
}

/** The parts of the program's kubeconfig (components/eks/kubernetesProvider.ts) the client uses. */
interface Kubeconfig {
    clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    users: { user: { exec: { command: string; args: string[] } } }[];
}

/**
 * A client from the stack's kubeconfig. The token comes from the kubeconfig's exec command (`aws eks
 * get-token`, an ExecCredential) and is fetched again before it expires.
 */
export function kubeconfigClient(kubeconfigText: string, run: CommandRunner): KubeClient {
    const config = JSON.parse(kubeconfigText) as Kubeconfig;
    const { server, "certificate-authority-data": caData } = config.clusters[0].cluster;
    const { command, args } = config.users[0].user.exec;
    const ca = Buffer.from(caData, "base64").toString("utf8");
    let token: { value: string; expires: number } | undefined;
    const bearer = async (): Promise<string> => {
        if (token === undefined || token.expires - Date.now() < 60_000) {
            const credential = JSON.parse(await run(command, args)) as { status: { token: string; expirationTimestamp?: string } };
            const expires = credential.status.expirationTimestamp ? Date.parse(credential.status.expirationTimestamp) : Date.now() + 10 * 60_000;
            token = { value: credential.status.token, expires };
        }
        return token.value;
    };
    const request = async (method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> => {
        const authorization = `Bearer ${await bearer()}`;
        return new Promise((resolve, reject) => {
            const url = new URL(path, server);
            const payload = body === undefined ? undefined : JSON.stringify(body);
            const req = https.request(
                url,
                {
                    method,
                    ca,
                    timeout: 30_000,
                    // Content-Length always: Node sends a DELETE body without chunked framing, which servers reject.
                    headers: {
                        authorization,
                        accept: "application/json",
                        ...(payload !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}),
                    },
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.once("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
                },
            );
            req.once("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
            req.once("error", reject);
            req.end(payload);
        });
    };
    const checked = async (method: string, path: string, body?: unknown): Promise<string> => {
        const { status, text } = await request(method, path, body);
        if (status >= 400) {
            let message = text;
            try {
                message = (JSON.parse(text) as { message?: string }).message ?? text;
            } catch {
                // Not a Status object: keep the text.
            }
            throw new KubeError(status, `${method} ${path}: ${status} ${message}`);
        }
        return text;
    };
    return {
        get: async <T>(path: string) => JSON.parse(await checked("GET", path)) as T,
        create: async <T>(path: string, body: unknown) => JSON.parse(await checked("POST", path, body)) as T,
        remove: async (path) => {
            try {
                await checked("DELETE", path, { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" });
            } catch (error) {
                if (!(error instanceof KubeError && error.status === 404)) {
                    throw error;
                }
            }
        },
        text: (path) => checked("GET", path),
    };
}
