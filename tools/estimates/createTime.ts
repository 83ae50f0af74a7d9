/**
 * The modeled create time of a fresh stack: Pulumi creates a resource as soon as everything it depends on
 * exists (and runs independent creates in parallel), so the time of a fresh `pulumi up` is the longest
 * chain through the dependency graph, each resource weighted by its typical create time. That chain is
 * the critical path; shortening anything off it changes nothing.
 *
 * The weights are planning figures in minutes: what a create typically takes in a region without
 * contention. Where a measurement or a statement of AWS is public it is cited beside the weight; the rest
 * are estimates bounded above by the provider's default create timeouts (terraform-provider-aws, which
 * pulumi-aws wraps: EKS cluster 30 min, node group 60 min, RDS instance 40 min, ElastiCache replication
 * group 60 min, NAT gateway 10 min, ACM validation 75 min). Replace a weight with a measured one from a real
 * `pulumi up` (the engine events of `pulumi up --json` carry each step's start and end) and cite it.
 */

/** A resource as the model reads it (the offline runtime's record, or a preview step's state). */
export interface TimedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent?: string;
    readonly provider?: string;
    readonly dependencies: readonly string[];
    readonly inputs: Record<string, unknown>;
}

/** Typical create minutes by type (see the module's comment); anything else is an API call of seconds. */
export const CREATE_MINUTES: Readonly<Record<string, number | ((inputs: Record<string, unknown>) => number)>> = {
    // EKS: the control plane is the longest single create of the stack. AWS: "create a new EKS cluster control
    // plane in 9 minutes or less, on average" (What's New, 2021-03-19); terraform-aws-modules/terraform-aws-eks#3218's
    // log: "Creation complete after 10m6s".
    "aws:eks/cluster:Cluster": 10,
    // Managed node groups launch and join instances: "Creation complete after 1m48s" and "1m59s" for two
    // groups in the log of DevopsArtFactory/terraform-provisioning#46.
    "aws:eks/nodeGroup:NodeGroup": 2,
    // Add-ons before the nodes (the VPC CNI, kube-proxy, the Pod Identity agent) are ACTIVE once configured;
    // those that run pods (CoreDNS, the EBS CSI driver) once their pods are ready on the new nodes.
    "aws:eks/addon:Addon": (i) => (["coredns", "aws-ebs-csi-driver"].includes(String(i.addonName)) ? 1.5 : 1),
    // RDS: a Multi-AZ instance also creates and syncs its standby.
    "aws:rds/instance:Instance": (i) => (i.replicateSourceDb !== undefined ? 12 : i.multiAz === true ? 15 : 10),
    "aws:rds/proxy:Proxy": 6,
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup": 1,
    "aws:rds/proxyTarget:ProxyTarget": 3,
    // The provider waits for the replication's status to be "replicating"; the copies run afterwards.
    "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": 3,
    "aws:elasticache/replicationGroup:ReplicationGroup": (i) => (Number(i.numCacheClusters ?? 1) > 1 ? 15 : 10),
    "aws:ec2/natGateway:NatGateway": 2,
    "aws:ec2/vpcEndpoint:VpcEndpoint": (i) => (i.vpcEndpointType === "Interface" ? 2 : 0.2),
    // DNS validation: the record propagates, then ACM issues.
    "aws:acm/certificateValidation:CertificateValidation": 3,
    "aws:route53/record:Record": 1,
    "aws:wafv2/webAcl:WebAcl": 0.3,
    "aws:sqs/queue:Queue": 0.5,
    "aws:kms/key:Key": 0.2,
    "aws:iam/role:Role": 0.1,
    // Helm releases wait for their pods to be ready (image pulls, webhook certificates).
    "kubernetes:helm.sh/v3:Release": (i) => (i.chart === "kube-prometheus-stack" ? 4 : 2),
    // Deployments wait for their rollout: a node from Karpenter when none has room, the image, readiness.
    "kubernetes:apps/v1:Deployment": 2,
    "kubernetes:batch/v1:Job": 1,
    // The load balancer controller provisions the ALB; the Ingress is ready when it has its address.
    "kubernetes:networking.k8s.io/v1:Ingress": 3,
};

/** A Kubernetes object or an AWS call the model does not list: seconds. */
export const DEFAULT_MINUTES = 0.05;

/** The modeled create time and its critical path. */
export interface CreateTimeEstimate {
    /** Minutes from the first create to the last, to a tenth. */
    readonly total: number;
    /** The longest chain, first to last: type, name and the minutes each adds. */
    readonly criticalPath: { readonly type: string; readonly name: string; readonly minutes: number }[];
}

/** The weight of one resource. */
export function createMinutes(r: Pick<TimedResource, "type" | "custom" | "inputs">): number {
    if (!r.custom || r.type.startsWith("pulumi:providers:") || r.type.startsWith("random:")) {
        return r.type.startsWith("pulumi:providers:") || !r.custom ? 0 : DEFAULT_MINUTES;
    }
    const weight = CREATE_MINUTES[r.type];
    return weight === undefined ? DEFAULT_MINUTES : typeof weight === "number" ? weight : weight(r.inputs);
}

/**
 * The longest weighted chain. A resource starts when all it depends on are created: its dependencies (a
 * component stands for every resource below it) and its provider.
 */
export function estimateCreateTime(resources: readonly TimedResource[]): CreateTimeEstimate {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, TimedResource[]>();
    for (const r of resources) {
        if (r.parent !== undefined) {
            children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
        }
    }
    const customBelow = (urn: string): TimedResource[] =>
        (children.get(urn) ?? []).flatMap((c) => (c.custom ? [c, ...customBelow(c.urn)] : customBelow(c.urn)));
    const finish = new Map<string, { at: number; via?: string }>();
    const visiting = new Set<string>();
    const finishOf = (r: TimedResource): number => {
        const known = finish.get(r.urn);
        if (known !== undefined) {
            return known.at;
        }
        if (visiting.has(r.urn)) {
            return 0; // a cycle cannot happen in a Pulumi program; never loop on a malformed record
        }
        visiting.add(r.urn);
        const deps = new Set<string>();
        const addDep = (urn: string) => {
            const d = byUrn.get(urn);
            if (d === undefined || urn === r.urn) {
                return;
            }
            if (d.custom) {
                deps.add(urn);
            } else {
                customBelow(urn).forEach((c) => deps.add(c.urn));
            }
        };
        r.dependencies.forEach(addDep);
        if (r.provider !== undefined) {
            addDep(r.provider.split("::").slice(0, -1).join("::"));
        }
        let start = 0;
        let via: string | undefined;
        for (const urn of deps) {
            const at = finishOf(byUrn.get(urn)!);
            if (at > start) {
                start = at;
                via = urn;
            }
        }
        const at = start + createMinutes(r);
        finish.set(r.urn, { at, via });
        visiting.delete(r.urn);
        return at;
    };
    let last: TimedResource | undefined;
    let total = 0;
    for (const r of resources.filter((x) => x.custom)) {
        const at = finishOf(r);
        if (at > total) {
            total = at;
            last = r;
        }
    }
    const path: CreateTimeEstimate["criticalPath"] = [];
    for (let r = last; r !== undefined; r = finish.get(r.urn)?.via === undefined ? undefined : byUrn.get(finish.get(r.urn)!.via!)) {
        path.unshift({ type: r.type, name: r.name, minutes: createMinutes(r) });
    }
    return { total: Math.round(total * 10) / 10, criticalPath: path };
}

/** The estimate's text: the total and the critical path's steps that take time. */
export function createTimeReport(estimate: CreateTimeEstimate): string[] {
    const out = [`Create time of a fresh stack (modeled): ${estimate.total.toFixed(1)} min; critical path:`];
    for (const step of estimate.criticalPath) {
        out.push(`  ${step.minutes.toFixed(2).padStart(6)} min  ${step.type}  ${step.name}`);
    }
    return out;
}
