/**
 * The platform namespace `database-admin`, the only place the RDS master credentials reach the cluster:
 * a Secret with them that the External Secrets Operator keeps in step with the RDS-managed secret
 * (masterCredentials.ts), the service account the database-user Jobs run as, and network policies
 * that let those Jobs reach nothing but DNS and PostgreSQL in the database subnets. Applications never
 * see it. The program itself never reads the master password.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PriorityClasses } from "../eks/priorityClasses";
import { PlatformNamespace, type NamespaceBudget } from "../platformNamespace";
import { KUBE_DNS, dnsFlows, podsOf, tcp, type NetworkFlow } from "../flows";
import { masterCredentialsDefaults } from "./masterCredentials";
import { DATA_PORTS, denyAllSpec, dnsSpec } from "./networkPolicies";

/** Fixed names and budget of the namespace. */
export const databaseAdminDefaults = {
    /** The namespace. */
    namespace: "database-admin",
    /** The service account of the Jobs (no API token: they never call the Kubernetes API). */
    serviceAccountName: "database-admin",
    /** The Secret with the master credentials (libpq variable names as keys), written by the operator. */
    masterSecretName: masterCredentialsDefaults.secretName,
    /** Labels of every Job pod of the namespace. */
    podLabels: { "app.kubernetes.io/name": "database-admin", "app.kubernetes.io/part-of": "platform" },
    /** Room for a few Jobs at once (one per application changed in a deployment). */
    budget: { requestsCpu: "500m", requestsMemory: "640Mi", limitsMemory: "640Mi", pods: 5 } satisfies NamespaceBudget,
} as const;

/** Arguments of {@link DatabaseAdmin}. */
export interface DatabaseAdminArgs {
    /** Database subnet CIDRs: the only egress besides DNS. */
    databaseSubnetCidrs: readonly string[];
    /** Pod Security Standards version the namespace pins, such as `v1.36` (the cluster minor). */
    podSecurityVersion: string;
    /** What the namespace's Jobs wait for besides the namespace: the NodePools that give them nodes. Nothing else here waits. */
    capacity: pulumi.Resource[];
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** The cluster's PriorityClasses: the namespace's Jobs wait for them. */
    priorityClasses: PriorityClasses;
}

/** The NetworkPolicy spec of the Jobs' egress: PostgreSQL in the database subnets, nothing else. */
export function databaseEgressSpec(databaseSubnetCidrs: readonly string[]): k8s.types.input.networking.v1.NetworkPolicySpec {
    return {
        podSelector: { matchLabels: { ...databaseAdminDefaults.podLabels } },
        policyTypes: ["Egress"],
        egress: [{ to: databaseSubnetCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: DATA_PORTS.postgres }] }],
    };
}

/** The Jobs' flows: DNS, and PostgreSQL (they create each application's role and database). */
export function databaseAdminFlows(): NetworkFlow[] {
    const { namespace, podLabels } = databaseAdminDefaults;
    return [
        ...dnsFlows("database-admin-to-kube-dns", "DatabaseAdmin", podsOf(namespace), KUBE_DNS, "name resolution of the instance's endpoint"),
        tcp(
            "database-admin-to-postgres",
            "DatabaseAdmin",
            podsOf(namespace, podLabels),
            { group: "database" },
            DATA_PORTS.postgres,
            "the Jobs sign in as the master user",
        ),
    ];
}

/** The `database-admin` namespace and its guard rails; the master-credential Secret comes from MasterCredentials (masterCredentials.ts). */
export class DatabaseAdmin extends pulumi.ComponentResource {
    /** The namespace name (an output, so objects created in it wait for it). */
    public readonly namespace: pulumi.Output<string>;
    /** The master-credential Secret's name. */
    public readonly masterSecretName: string = databaseAdminDefaults.masterSecretName;
    /** The service account of the Jobs. */
    public readonly serviceAccountName: string = databaseAdminDefaults.serviceAccountName;
    /** What a Job of the namespace must wait for: the namespace's `ready` (quota, limits, PriorityClasses), policies, service account, the NodePools (the synced master Secret is MasterCredentials' ExternalSecret). */
    public readonly ready: pulumi.Resource[];
    /** The namespace with its quota, limit range and the PriorityClasses: what objects of other components in it wait for. */
    public readonly namespaceReady: pulumi.Resource[];
    /** The namespace's name as a plain string (trust policies, the operator's scope). */
    public readonly namespaceName: string = databaseAdminDefaults.namespace;

    constructor(name: string, args: DatabaseAdminArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:DatabaseAdmin", name, {}, opts);
        const inCluster = { parent: this, provider: args.provider };
        const d = databaseAdminDefaults;
        const { namespace: ns, ready: namespaceReady } = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: d.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                budget: d.budget,
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        this.namespace = ns.metadata.name;
        const metadata = (objectName: string) => ({ name: objectName, namespace: this.namespace, labels: { "app.kubernetes.io/part-of": "platform" } });
        const policies = [
            new k8s.networking.v1.NetworkPolicy(`${name}-deny-all`, { metadata: metadata("default-deny"), spec: denyAllSpec() }, inCluster),
            new k8s.networking.v1.NetworkPolicy(`${name}-dns`, { metadata: metadata("allow-dns"), spec: dnsSpec() }, inCluster),
            new k8s.networking.v1.NetworkPolicy(
                `${name}-postgres`,
                { metadata: metadata("allow-postgres"), spec: databaseEgressSpec(args.databaseSubnetCidrs) },
                inCluster,
            ),
        ];
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            { metadata: metadata(d.serviceAccountName), automountServiceAccountToken: false },
            inCluster,
        );
        this.namespaceReady = namespaceReady;
        this.ready = [...namespaceReady, serviceAccount, ...policies, ...args.capacity];
        this.registerOutputs({ namespace: this.namespace });
    }
}
