/**
 * The S3 view the bucket rules share: in @pulumi/aws v7 every bucket setting is a separate resource
 * (with a deprecated `…V2` twin), joined to its bucket through `bucket`; the deprecated inline inputs of
 * the Bucket still count when no separate resource exists. Also tells which buckets receive access logs
 * (they must use SSE-S3 and need no logging of their own).
 */
import type { PolicyResource } from "@pulumi/policy";
import { ResourceIndex, dependenciesOf, ofTypes, ofTypesWhere, shared } from "./graph";
import { ALB_ANNOTATION, annotationsOf } from "./ingress";
import { isKind } from "./kubernetes";
import { K8S, LOAD_BALANCER, S3, S3_BUCKET } from "./types";
import { asString, knownTags, peek, UNKNOWN } from "./values";

/** A kind of bucket setting. */
export type SettingKind = keyof typeof S3;

/** The tag that marks a bucket as an access-log target even before anything logs to it. */
export const LOG_BUCKET_TAG = { key: "purpose", value: "access-logs" } as const;

/** A bucket with its settings resources. */
export interface Bucket {
    /** The Bucket or BucketV2. */
    readonly resource: PolicyResource;
    /** The settings resources joined to it, by kind. */
    readonly settings: ReadonlyMap<SettingKind, readonly PolicyResource[]>;
    /** Why the bucket is an access-log target (undefined when it is not one). */
    readonly logTarget: string | undefined;
}

/** The stack's buckets with their settings. */
export interface BucketView {
    /** Every bucket. */
    readonly buckets: readonly Bucket[];
    /** Settings resources of the given kinds, whether or not their bucket is in the stack. */
    readonly settings: ReadonlyMap<SettingKind, readonly PolicyResource[]>;
}

/** `access_logs.s3.bucket=<name>` in an ALB Ingress's load-balancer-attributes annotation. */
function ingressLogBucket(props: Record<string, unknown>): string | undefined {
    const attributes = asString(peek(annotationsOf(props), `${ALB_ANNOTATION}load-balancer-attributes`));
    return attributes === undefined ? undefined : /(?:^|,)\s*access_logs\.s3\.bucket=([^,\s]+)/.exec(attributes)?.[1];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list === undefined) {
        map.set(key, [value]);
    } else {
        list.push(value);
    }
}

/** The view of a stack, built once and shared by the bucket rules of one evaluation. */
export function bucketView(resources: readonly PolicyResource[]): BucketView {
    return shared(resources, "s3.bucketView", buildView);
}

function buildView(resources: readonly PolicyResource[]): BucketView {
    const index = ResourceIndex.of(resources, S3_BUCKET);
    const settings = new Map<SettingKind, PolicyResource[]>();
    const perBucket = new Map<string, Map<SettingKind, PolicyResource[]>>();
    const logTargets = new Map<string, string>();
    const markLog = (targets: PolicyResource[], why: string) => targets.forEach((t) => logTargets.has(t.urn) || logTargets.set(t.urn, why));
    for (const [kind, types] of Object.entries(S3) as [SettingKind, readonly string[]][]) {
        for (const r of ofTypes(resources, types)) {
            push(settings, kind, r);
            for (const b of index.refs(r, "bucket")) {
                let map = perBucket.get(b.urn);
                if (map === undefined) {
                    map = new Map<SettingKind, PolicyResource[]>();
                    perBucket.set(b.urn, map);
                }
                push(map, kind, r);
            }
            if (kind === "logging") {
                markLog(index.refs(r, "targetBucket"), `it receives the access logs of ${r.name}`);
            }
        }
    }
    for (const r of ofTypes(resources, LOAD_BALANCER)) {
        const deps = dependenciesOf(r, "accessLogs").filter((d) => index.has(d));
        markLog(deps.length > 0 ? deps : index.lookup(peek(r.props, "accessLogs", "bucket")), `load balancer ${r.name} writes its access logs to it`);
    }
    for (const r of ofTypesWhere(resources, (type) => isKind(type, K8S.ingress))) {
        const name = ingressLogBucket(r.props);
        if (name !== undefined) {
            markLog(index.lookup(name), `Ingress ${r.name} sends its ALB access logs to it`);
        }
    }
    for (const r of index.all) {
        const inlineTarget = peek(r.props, "logging", "targetBucket");
        if (inlineTarget !== UNKNOWN && inlineTarget !== undefined) {
            const deps = dependenciesOf(r, "logging").filter((d) => index.has(d));
            markLog(deps.length > 0 ? deps : index.lookup(inlineTarget), `it receives the access logs of ${r.name}`);
        }
    }
    const buckets = index.all.map((resource) => {
        const tagged =
            knownTags(resource.props)[LOG_BUCKET_TAG.key] === LOG_BUCKET_TAG.value ? `it is tagged ${LOG_BUCKET_TAG.key}=${LOG_BUCKET_TAG.value}` : undefined;
        return { resource, settings: perBucket.get(resource.urn) ?? new Map(), logTarget: logTargets.get(resource.urn) ?? tagged };
    });
    return { buckets, settings };
}

/** The bucket's settings resources of a kind (none: an empty list). */
export function settingsOf(bucket: Bucket, kind: SettingKind): readonly PolicyResource[] {
    return bucket.settings.get(kind) ?? [];
}
