/**
 * One application of the stack config, wired to the platform: its namespace (restricted Pod Security,
 * quota, limit range), service account (and IRSA role when it calls AWS), credentials Secret, migration
 * Job, Deployment, Service, autoscaler, disruption budget, ALB Ingress behind the WAF, network policies,
 * and its ServiceMonitor and alert rules.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ApplicationConfig } from "../../config";
import type { PriorityClasses } from "../eks/priorityClasses";
import { WorkloadRole } from "../eks/workloadIdentity";
import { PlatformNamespace, type NamespaceBudget } from "../platformNamespace";
import { policyDocument } from "../policyDocument";
import { AppCredentials, type CacheOutputs, type DatabaseOutputs } from "./credentials";
import { ingressAnnotations } from "./ingress";
import { alertRules, serviceMonitorSpec } from "./monitoring";
import { denyAllSpec, dnsSpec, egressSpec, ingressSpec } from "./networkPolicies";
import { appLabels, autoscalerSpec, deploymentSpec, disruptionBudgetSpec, migrationJobSpec, type PodInputs } from "./workload";

/** The namespace of an application. */
export function appNamespace(app: string): string {
    return `app-${app}`;
}

/** The namespace's budget: room for the most replicas plus a rollout's surge and a migration Job. */
export function namespaceBudget(app: ApplicationConfig): NamespaceBudget {
    const pods = app.maxReplicas + Math.ceil(app.maxReplicas / 4) + 1;
    const cpuMillis = (q: string) => (q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000);
    const mi = (q: string) => Number(q.slice(0, -2)) * (q.endsWith("Gi") ? 1024 : q.endsWith("Ki") ? 1 / 1024 : 1);
    return {
        requestsCpu: `${pods * cpuMillis(app.resources.cpuRequest)}m`,
        requestsMemory: `${Math.ceil(pods * mi(app.resources.memoryRequest))}Mi`,
        limitsMemory: `${Math.ceil(pods * mi(app.resources.memoryLimit))}Mi`,
        pods,
    };
}

/** What the platform gives an application. */
export interface ApplicationArgs {
    /** The application's config. */
    app: ApplicationConfig;
    /** Position of the application in config (orders the rules of a shared ALB). */
    index: number;
    /** `<project>-<stack>`. */
    namePrefix: string;
    /** The stack's environment (dev, prod), for the traces' resource attributes. */
    environment: string;
    /** Pod Security Standards version the namespace pins, such as `v1.36`. */
    podSecurityVersion: string;
    /** The application's own database role and database (required when the application uses the database). */
    database?: DatabaseOutputs;
    /** What makes that role exist with its current password (the DatabaseUser's Job): credentials, migrations and pods wait for it. */
    databaseUser?: pulumi.Resource;
    /** The data tier's cache (required when the application uses it). */
    cache?: CacheOutputs;
    /** Public subnet CIDRs: where the ALB's ENIs reach pods from. */
    publicSubnetCidrs: readonly string[];
    /** Database subnet CIDRs: where RDS and ElastiCache live. */
    databaseSubnetCidrs: readonly string[];
    /** The edge: WAF web ACL and certificate (required when the application has a host). */
    edge?: { webAclArn: pulumi.Input<string>; certificateArn: pulumi.Input<string> };
    /** The access-log bucket and the prefix its policy lets ELB write under. */
    accessLogs: { bucket: pulumi.Input<string>; prefix: string };
    /** prod: ALB deletion protection. */
    isProd: boolean;
    /** For the IRSA role: the cluster's OIDC provider and issuer. */
    oidcProviderArn: pulumi.Input<string>;
    /** The cluster's OIDC issuer URL. */
    issuer: pulumi.Input<string>;
    /** The release that installs the ServiceMonitor and PrometheusRule CRDs. */
    monitoringRelease: pulumi.Resource;
    /**
     * What the objects the load balancer controller's webhooks admit wait for: its release (its webhooks admit
     * Ingresses and the pods of namespaces that inject readiness gates, as the applications' do). The
     * namespace, its quota, policies, service account, Service and Secret wait for nothing.
     */
    after: pulumi.Resource[];
    /** What the application's pods (its migrations Job, its Deployment) also wait for: the NodePools that give them nodes. */
    capacity: pulumi.Resource[];
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** The cluster's PriorityClasses: the application's pods name `applications`, so they wait for it. */
    priorityClasses: PriorityClasses;
}

/** An application and everything that wires it to the platform. */
export class Application extends pulumi.ComponentResource {
    /** The namespace name. */
    public readonly namespace: string;
    /** The public URL (`https://<host>`), when the application has a host. */
    public readonly url?: string;
    /** The Deployment. */
    public readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: ApplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:apps:Application", name, {}, opts);
        const { app } = args;
        if (app.database && (args.database === undefined || args.databaseUser === undefined)) {
            throw new Error(`${name}: the application uses the database, but no database user was given`);
        }
        if (app.cache && args.cache === undefined) {
            throw new Error(`${name}: the application uses the cache, but none was given`);
        }
        if (app.host !== undefined && args.edge === undefined) {
            throw new Error(`${name}: the application has a host, but no edge (WAF and certificate) was given`);
        }
        this.namespace = appNamespace(app.name);
        const inCluster = { parent: this, provider: args.provider };

        const { namespace: ns, ready: namespaceReady } = new PlatformNamespace(
            `${name}-namespace`,
            {
                namespace: this.namespace,
                podSecurity: "restricted",
                podSecurityVersion: args.podSecurityVersion,
                // The load balancer controller adds a readiness gate: a pod is ready only once the ALB sees it healthy.
                labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" },
                budget: namespaceBudget(app),
                provider: args.provider,
                priorityClasses: args.priorityClasses,
            },
            { parent: this },
        );
        const metadata = (objectName: string) => ({ name: objectName, namespace: ns.metadata.name, labels: appLabels(app.name, "server") });

        const policies = [
            new k8s.networking.v1.NetworkPolicy(`${name}-deny-all`, { metadata: metadata("default-deny"), spec: denyAllSpec() }, inCluster),
            new k8s.networking.v1.NetworkPolicy(`${name}-dns`, { metadata: metadata("allow-dns"), spec: dnsSpec() }, inCluster),
            new k8s.networking.v1.NetworkPolicy(
                `${name}-ingress`,
                { metadata: metadata("allow-ingress"), spec: ingressSpec(app, args.publicSubnetCidrs) },
                inCluster,
            ),
            new k8s.networking.v1.NetworkPolicy(
                `${name}-egress`,
                { metadata: metadata("allow-egress"), spec: egressSpec(app, args.databaseSubnetCidrs) },
                inCluster,
            ),
        ];

        const role =
            app.awsPolicy.length > 0
                ? new WorkloadRole(
                      `${name}-role`,
                      {
                          oidcProviderArn: args.oidcProviderArn,
                          issuer: args.issuer,
                          namespace: this.namespace,
                          serviceAccount: app.name,
                          purpose: `Application ${app.name}`,
                          namePrefix: args.namePrefix,
                          policy: policyDocument(...app.awsPolicy.map((s) => ({ ...s, Action: [...s.Action], Resource: [...s.Resource] }))),
                      },
                      { parent: this },
                  )
                : undefined;
        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-service-account`,
            {
                metadata: { ...metadata(app.name), ...(role ? { annotations: { "eks.amazonaws.com/role-arn": role.role.arn } } : {}) },
                // A token only for applications that call AWS (IRSA exchanges it); none talks to the Kubernetes API.
                automountServiceAccountToken: role !== undefined,
            },
            inCluster,
        );

        const credentials = new AppCredentials(
            `${name}-credentials`,
            {
                namespace: ns.metadata.name,
                secretName: `${app.name}-credentials`,
                database: app.database ? args.database : undefined,
                cache: app.cache ? args.cache : undefined,
                secrets: app.secrets,
                provider: args.provider,
            },
            // The Secret changes only once the role has its new password, so running pods never read a password not yet valid.
            { parent: this, dependsOn: app.database && args.databaseUser !== undefined ? [args.databaseUser] : [] },
        );
        const pod: PodInputs = {
            app,
            serviceAccountName: app.name,
            secretName: `${app.name}-credentials`,
            environment: args.environment,
            namespace: appNamespace(app.name),
        };
        // Pods start only when the namespace's guard rails and network policies are in place, the controller's
        // webhook can admit them, and a NodePool can give them a node.
        const ready = [
            ...args.after,
            ...args.capacity,
            ...namespaceReady,
            serviceAccount,
            credentials,
            ...policies,
            ...(app.database && args.databaseUser !== undefined ? [args.databaseUser] : []),
        ];

        const migrations =
            app.migrationCommand.length > 0
                ? new k8s.batch.v1.Job(
                      `${name}-migrations`,
                      { metadata: { namespace: ns.metadata.name, labels: appLabels(app.name, "migrations") }, spec: migrationJobSpec(pod) },
                      // Pulumi waits for the Job to complete; a failed migration stops the rollout before the Deployment changes.
                      { ...inCluster, dependsOn: ready },
                  )
                : undefined;

        this.deployment = new k8s.apps.v1.Deployment(
            `${name}-deployment`,
            {
                metadata: metadata(app.name),
                // A new credentials checksum changes the pod template, so a rotated value rolls the pods. Passed
                // as an input of its own: while it is unknown (a preview before the database exists) only the
                // annotation is unknown, and the policies still see the rest of the spec.
                spec: deploymentSpec(pod, { "platform/credentials-checksum": credentials.checksum }),
            },
            { ...inCluster, dependsOn: [...ready, ...(migrations ? [migrations] : [])] },
        );

        const ports = [
            { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
            ...(app.metricsPort !== app.port ? [{ name: "metrics", port: app.metricsPort, targetPort: "metrics", protocol: "TCP" }] : []),
        ];
        const service = new k8s.core.v1.Service(
            `${name}-service`,
            // No webhook admits ClusterIP Services (the controller's Service mutator is off): it waits for nothing.
            { metadata: metadata(app.name), spec: { type: "ClusterIP", selector: appLabels(app.name, "server"), ports } },
            inCluster,
        );
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(
            `${name}-autoscaler`,
            { metadata: metadata(app.name), spec: autoscalerSpec(app, app.name) },
            { ...inCluster, dependsOn: [this.deployment] },
        );
        new k8s.policy.v1.PodDisruptionBudget(`${name}-disruption-budget`, { metadata: metadata(app.name), spec: disruptionBudgetSpec(app.name) }, inCluster);

        if (app.host !== undefined && args.edge !== undefined) {
            const edge = args.edge;
            const annotations = pulumi
                .all([edge.certificateArn, edge.webAclArn, args.accessLogs.bucket])
                .apply(([certificateArn, webAclArn, accessLogBucket]) =>
                    ingressAnnotations({
                        app,
                        index: args.index,
                        namePrefix: args.namePrefix,
                        certificateArn,
                        webAclArn,
                        accessLogBucket,
                        accessLogPrefix: args.accessLogs.prefix,
                        deletionProtection: args.isProd,
                    }),
                );
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                {
                    metadata: { ...metadata(app.name), annotations },
                    spec: {
                        ingressClassName: "alb",
                        rules: [
                            {
                                host: app.host,
                                http: {
                                    paths: app.paths.map((path) => ({
                                        path,
                                        pathType: "ImplementationSpecific",
                                        backend: { service: { name: service.metadata.name, port: { name: "http" } } },
                                    })),
                                },
                            },
                        ],
                    },
                },
                // The controller's webhook admits Ingresses. The ALB is built while the migrations run; the pods,
                // created once the Ingress exists, get its readiness gate, so they are ready only once the ALB sees them healthy.
                { ...inCluster, dependsOn: [...args.after] },
            );
            this.url = `https://${app.host}`;
        }

        const monitoringOpts = { ...inCluster, dependsOn: [args.monitoringRelease] };
        new k8s.apiextensions.CustomResource(
            `${name}-service-monitor`,
            { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: metadata(app.name), spec: serviceMonitorSpec(app, this.namespace) },
            monitoringOpts,
        );
        new k8s.apiextensions.CustomResource(
            `${name}-alerts`,
            {
                apiVersion: "monitoring.coreos.com/v1",
                kind: "PrometheusRule",
                metadata: metadata(app.name),
                spec: { groups: [{ name: `${app.name}.golden-signals`, rules: alertRules(app, this.namespace) }] },
            },
            monitoringOpts,
        );

        this.registerOutputs({ namespace: this.namespace, url: this.url });
    }
}
