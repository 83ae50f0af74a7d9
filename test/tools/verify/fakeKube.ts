/** An in-memory Kubernetes API for the verification tests: objects by path, every call recorded. */
import { KubeError, type KubeClient } from "../../../tools/verify/kube";

/** The fake, with what the code under test did. */
export interface FakeKube extends KubeClient {
    /** Objects (or lists) by API path; a function is called on every GET. */
    readonly objects: Map<string, unknown>;
    /** Pod logs by path. */
    readonly logs: Map<string, string>;
    /** Every POST: path and body. */
    readonly created: { path: string; body: unknown }[];
    /** Every DELETE path. */
    readonly removed: string[];
}

/** A fake API; `onCreate` may add objects when something is created (a Job's status, a Certificate). */
export function fakeKube(onCreate: (fake: FakeKube, path: string, body: Record<string, unknown>) => void = () => undefined): FakeKube {
    const fake: FakeKube = {
        objects: new Map(),
        logs: new Map(),
        created: [],
        removed: [],
        get: async <T>(path: string) => {
            const value = fake.objects.get(path);
            if (value === undefined) {
                throw new KubeError(404, `GET ${path}: 404 not found`);
            }
            return (typeof value === "function" ? (value as () => unknown)() : structuredClone(value)) as T;
        },
        create: async <T>(path: string, body: unknown) => {
            fake.created.push({ path, body });
            onCreate(fake, path, body as Record<string, unknown>);
            return body as T;
        },
        remove: async (path) => {
            fake.removed.push(path);
            fake.objects.delete(path);
        },
        text: async (path) => fake.logs.get(path) ?? "",
    };
    return fake;
}
