import { expect } from "chai";
import { kubeconfig } from "../../../components/eks/kubernetesProvider";
import { sharedPlan, type Plan, type RecordedResource } from "../../harness";
import { clusterOf } from "./helpers";

const PROVIDER = "pulumi:providers:kubernetes";

function providerOf(plan: Plan): RecordedResource {
    const providers = plan.ofType(PROVIDER);
    expect(providers).to.have.length(1);
    return providers[0];
}

/** Provider inputs arrive as config text; objects and flags may be JSON. */
function parsed(value: unknown): unknown {
    return typeof value === "string" && /^[[{]|^(true|false)$/.test(value) ? JSON.parse(value) : value;
}

describe("the cluster's Kubernetes provider", () => {
    let dev: Plan;
    let prod: Plan;
    before(async () => {
        dev = await sharedPlan("dev");
        prod = await sharedPlan("prod");
    });

    it("there is exactly one, with server-side apply", () => {
        for (const plan of [dev, prod]) {
            expect(parsed(providerOf(plan).inputs.enableServerSideApply)).to.equal(true);
        }
    });

    it("its kubeconfig is built from the cluster's outputs and authenticates with aws eks get-token, holding no credentials", () => {
        const cluster = clusterOf(prod);
        const config = parsed(providerOf(prod).inputs.kubeconfig) as ReturnType<typeof kubeconfig> & {
            clusters: { cluster: Record<string, string> }[];
            users: { user: Record<string, unknown> }[];
        };
        expect(config.clusters[0].cluster).to.deep.equal({
            server: cluster.outputs.endpoint,
            "certificate-authority-data": (cluster.outputs.certificateAuthority as { data: string }).data,
        });
        expect(config.users[0].user).to.deep.equal({
            exec: {
                apiVersion: "client.authentication.k8s.io/v1beta1",
                command: "aws",
                args: ["eks", "get-token", "--cluster-name", "platform-prod-eks", "--region", "eu-west-1", "--output", "json"],
                interactiveMode: "Never",
            },
        });
        expect(JSON.stringify(config)).to.not.match(/"(token|tokenFile|password|username|client-key-data|client-certificate-data)":/);
        expect(prod.outputs.kubeconfig).to.equal(providerOf(prod).inputs.kubeconfig);
    });

    it("every Kubernetes resource is created through it", () => {
        for (const plan of [dev, prod]) {
            const provider = providerOf(plan);
            const kubernetes = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:"));
            expect(kubernetes.length).to.be.greaterThan(2);
            for (const r of kubernetes) {
                expect(plan.providerOf(r)?.urn, `${r.type} ${r.name}`).to.equal(provider.urn);
            }
        }
    });

    it("waits for the access entries, so the API accepts it, and keeps them until every Kubernetes resource is gone", () => {
        const provider = providerOf(dev);
        // The admin and viewer grants of the control plane; the preview roles' entries (PreviewAccess) are
        // never what pulumi runs as with this provider, so the provider need not wait for them; nor Karpenter's
        // node role's entry, which is for nodes.
        const grants = [...dev.ofType("aws:eks/accessEntry:AccessEntry"), ...dev.ofType("aws:eks/accessPolicyAssociation:AccessPolicyAssociation")].filter(
            (g) => !g.name.startsWith("preview-access-") && !g.name.startsWith("karpenter-"),
        );
        expect(grants).to.have.length(6);
        for (const grant of grants) {
            expect(dev.dependsOn(provider, grant), grant.name).to.equal(true);
        }
    });

    describe("the default StorageClass", () => {
        it("is gp3 from the EBS CSI driver, encrypted with the cluster key, bound when a pod is scheduled, expandable", () => {
            for (const plan of [dev, prod]) {
                const classes = plan.ofType("kubernetes:storage.k8s.io/v1:StorageClass");
                expect(classes).to.have.length(1);
                const gp3 = classes[0].inputs;
                expect(gp3.metadata).to.deep.equal({ name: "gp3", annotations: { "storageclass.kubernetes.io/is-default-class": "true" } });
                expect(gp3).to.include({
                    provisioner: "ebs.csi.aws.com",
                    volumeBindingMode: "WaitForFirstConsumer",
                    allowVolumeExpansion: true,
                    reclaimPolicy: "Delete",
                });
                expect(gp3.parameters).to.deep.equal({
                    type: "gp3",
                    encrypted: "true",
                    kmsKeyId: plan.get("aws:kms/key:Key", "keys-cluster").outputs.arn,
                    "csi.storage.k8s.io/fstype": "ext4",
                });
                // After the driver: what makes volumes of it is deleted while the driver still deletes their EBS volumes.
                const driver = plan.ofType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "aws-ebs-csi-driver")!;
                expect(plan.dependsOn(classes[0], driver)).to.equal(true);
            }
        });
    });
});
