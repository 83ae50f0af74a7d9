import { expect } from "chai";
import { rules } from "../../policies/rules";
import { AWS_TYPES, K8S_EXAMPLE_TYPES } from "../../policies/lib/types";
import { evaluatePolicies, policyConfigFor, type PolicyInput, type PolicyViolation } from "../../tools/offline/policyRunner";
import { UNKNOWN_SENTINEL, Unknown } from "../../tools/offline/values";
import { resource } from "./check";
import * as fixtures from "./fixtures";

/** mulberry32: a small seeded PRNG, so every run feeds the same resources. */
function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** Property names the rules read, so that random objects reach deep into the checks. */
const KEYS = [
    "metadata",
    "spec",
    "template",
    "jobTemplate",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "securityContext",
    "capabilities",
    "drop",
    "add",
    "image",
    "env",
    "valueFrom",
    "secretKeyRef",
    "ports",
    "hostPort",
    "volumes",
    "hostPath",
    "labels",
    "annotations",
    "namespace",
    "name",
    "selector",
    "matchLabels",
    "matchExpressions",
    "podSelector",
    "ingress",
    "egress",
    "policyTypes",
    "rules",
    "verbs",
    "resources",
    "roleRef",
    "subjects",
    "type",
    "policy",
    "Statement",
    "Effect",
    "Principal",
    "Action",
    "Resource",
    "Condition",
    "StringEquals",
    "AWS",
    "Federated",
    "assumeRolePolicy",
    "kmsKeyId",
    "vpcConfig",
    "endpointPublicAccess",
    "publicAccessCidrs",
    "encryptionConfig",
    "provider",
    "keyArn",
    "enabledClusterLogTypes",
    "metadataOptions",
    "httpTokens",
    "blockDeviceMappings",
    "ebs",
    "encrypted",
    "networkInterfaces",
    "associatePublicIpAddress",
    "remoteAccess",
    "ec2SshKey",
    "cidrBlocks",
    "cidrIpv4",
    "limits",
    "expireAfter",
    "ebs",
    "encrypted",
    "kmsKeyID",
    "httpPutResponseHopLimit",
    "associatePublicIPAddress",
    "amiSelectorTerms",
    "alias",
    "fromPort",
    "toPort",
    "protocol",
    "ipProtocol",
    "tags",
    "bucket",
    "targetBucket",
    "applyServerSideEncryptionByDefault",
    "sseAlgorithm",
    "versioningConfiguration",
    "status",
    "accessLogs",
    "internal",
    "defaultActions",
    "redirect",
    "sslPolicy",
    "visibilityConfig",
    "statement",
    "managedRuleGroupStatement",
    "values",
    "version",
    "repositoryOpts",
    "repo",
    "chart",
    "priorityClassName",
    "global",
    "deployNodeAgent",
    "parameters",
    "family",
    "engine",
    "authToken",
    "replicas",
    "secretId",
    "rotationRules",
    "automaticallyAfterDays",
    "scheduleExpression",
    "rotationEnabled",
    "backend",
    "defaultBackend",
    "service",
    "serviceName",
    "http",
    "paths",
    "path",
    "host",
    "securityGroupId",
    "securityGroupIds",
    "vpcSecurityGroupIds",
    "referencedSecurityGroupId",
    "txtOwnerId",
    "registry",
    "extraArgs",
    "userData",
    "provisioner",
];

const GARBAGE: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => Unknown.instance,
    () => UNKNOWN_SENTINEL,
    () => true,
    () => false,
    () => "true",
    () => "",
    () => "*",
    () => "0.0.0.0/0",
    () => 0,
    () => -1,
    () => NaN,
    () => 1e308,
    () => [],
    () => {},
    () => "{not json",
    () => '{"Statement": 7}',
    () => '{"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}',
    () => "arn:aws:iam::aws:policy/AdministratorAccess",
    () => "arn:aws:iam::210987654321:root",
    () => "210987654321",
    () =>
        '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws-cn:iam::210987654321:root", "*"]}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "x"}}}]}',
    () => "alias/aws/s3",
    () => "constructor",
    () => "__proto__",
    () => "rate(400 days)",
    () => "cron(0 4 31 * ? *)",
    () => "use-annotation",
    () => "ebs.csi.aws.com",
    () => "nodes/proxy",
    () => "validatingwebhookconfigurations",
    () => "system:masters",
    () => "sqs:*",
];

function garbage(random: () => number, depth: number): unknown {
    const roll = random();
    if (depth > 4 || roll < 0.55) {
        return GARBAGE[Math.floor(random() * GARBAGE.length)]();
    }
    if (roll < 0.75) {
        return Array.from({ length: Math.floor(random() * 4) }, () => garbage(random, depth + 1));
    }
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(random() * 5); i > 0; i--) {
        object[KEYS[Math.floor(random() * KEYS.length)]] = garbage(random, depth + 1);
    }
    return object;
}

/** Replaces random values deep inside a copy of `base` with garbage. */
function mutate(base: unknown, random: () => number, depth = 0): unknown {
    if (random() < 0.15) {
        return garbage(random, depth);
    }
    if (Array.isArray(base)) {
        return base.map((v) => mutate(v, random, depth + 1));
    }
    if (base !== null && typeof base === "object" && !(base instanceof Unknown)) {
        const copy: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(base)) {
            if (random() > 0.1) {
                copy[key] = mutate(value, random, depth + 1);
            }
        }
        if (random() < 0.3) {
            copy[KEYS[Math.floor(random() * KEYS.length)]] = garbage(random, depth + 1);
        }
        return copy;
    }
    return base;
}

const TYPES = [
    ...AWS_TYPES,
    ...K8S_EXAMPLE_TYPES,
    "kubernetes:batch/v1beta1:CronJob",
    "kubernetes:policy/v1beta1:PodDisruptionBudget",
    "kubernetes:extensions/v1beta1:Ingress",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:monitoring.coreos.com/v1:Prometheus",
    "random:index/x:Y",
    "pulumi:pulumi:Stack",
];
const BASELINES = (Object.values(fixtures) as unknown[]).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object");

function batch(random: () => number, size: number, index: number): PolicyInput[] {
    const resources: PolicyInput[] = [];
    for (let i = 0; i < size; i++) {
        const type = TYPES[Math.floor(random() * TYPES.length)];
        const base = random() < 0.7 ? BASELINES[Math.floor(random() * BASELINES.length)] : garbage(random, 0);
        const props = mutate(base, random);
        resources.push(
            resource(
                type,
                `r${index}-${i}`,
                (props !== null && typeof props === "object" && !Array.isArray(props) ? props : { value: props }) as Record<string, unknown>,
            ),
        );
    }
    // Random links, some to URNs that are not in the batch.
    for (const r of resources) {
        const pick = () => (random() < 0.9 ? resources[Math.floor(random() * resources.length)].urn : "urn:pulumi:test::platform::missing::x");
        const keys = Array.from({ length: Math.floor(random() * 3) }, () => KEYS[Math.floor(random() * KEYS.length)]);
        const propertyDependencies = Object.fromEntries(keys.map((k) => [k, Array.from({ length: 1 + Math.floor(random() * 2) }, pick)]));
        resources[resources.indexOf(r)] = {
            ...r,
            propertyDependencies,
            dependencies: random() < 0.5 ? [pick()] : [],
            parent: random() < 0.2 ? pick() : undefined,
        };
    }
    return resources;
}

describe("the policy pack on random garbage (fuzz)", () => {
    it("never crashes: 4,000 mutated resources of every handled type, through every rule, in both stacks", async () => {
        const random = prng(20261122);
        const crashes: PolicyViolation[] = [];
        let total = 0;
        const started = Date.now();
        for (let i = 0; i < 40; i++) {
            const resources = batch(random, 100, i);
            total += resources.length;
            const found = await evaluatePolicies(resources, { config: policyConfigFor(i % 2 === 0 ? "prod" : "dev", rules) });
            crashes.push(...found.filter((v) => v.message.includes(" crashed:")));
            for (const v of found) {
                expect(v.message, v.policyName).to.be.a("string").and.not.equal("");
            }
        }
        expect(total).to.equal(4000);
        expect(crashes.map((c) => `${c.policyName}: ${c.message}`)).to.deep.equal([]);
        expect(Date.now() - started, "fuzz run time in ms").to.be.below(3000);
    });
});
