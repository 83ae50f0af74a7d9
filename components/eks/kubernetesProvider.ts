/**
 * The Kubernetes provider of the cluster, built from the cluster's own outputs: a kubeconfig whose user
 * runs `aws eks get-token` (short-lived tokens of whoever runs pulumi, no static credentials), with
 * server-side apply. Every Kubernetes resource of the platform is created through it.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What a kubeconfig for the cluster needs. */
export interface KubeconfigInput {
    /** Name of the cluster. */
    readonly clusterName: string;
    /** HTTPS endpoint of the API server. */
    readonly endpoint: string;
    /** Base64 PEM of the cluster's certificate authority. */
    readonly certificateAuthorityData: string;
    /** Region of the cluster, for the token request. */
    readonly region: string;
}

/** A kubeconfig that authenticates with `aws eks get-token` (the form `aws eks update-kubeconfig` writes). */
export function kubeconfig(input: KubeconfigInput): Record<string, unknown> {
    const name = input.clusterName;
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData } }],
        contexts: [{ name, context: { cluster: name, user: name } }],
        "current-context": name,
        users: [
            {
                name,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", name, "--region", input.region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    };
}

/** The cluster outputs a kubeconfig is built from. */
export interface ClusterConnection {
    /** Name of the cluster (the cluster's output). */
    clusterName: pulumi.Input<string>;
    /** API server endpoint. */
    endpoint: pulumi.Input<string>;
    /** Base64 certificate authority data. */
    certificateAuthorityData: pulumi.Input<string>;
    /** Region of the cluster. */
    region: string;
}

/** The kubeconfig of the cluster as JSON text (what the provider uses, and what operators get). */
export function kubeconfigJson(connection: ClusterConnection): pulumi.Output<string> {
    return pulumi
        .all([connection.clusterName, connection.endpoint, connection.certificateAuthorityData])
        .apply(([clusterName, endpoint, certificateAuthorityData]) =>
            JSON.stringify(kubeconfig({ clusterName, endpoint, certificateAuthorityData, region: connection.region })),
        );
}

/**
 * The cluster's Kubernetes provider. Pass the access grants of the identity pulumi runs as in
 * `opts.dependsOn`: the API refuses requests until they exist, and on destroy they must outlive every
 * Kubernetes resource.
 */
export function createKubernetesProvider(name: string, kubeconfigText: pulumi.Input<string>, opts: pulumi.CustomResourceOptions): k8s.Provider {
    return new k8s.Provider(name, { kubeconfig: kubeconfigText, enableServerSideApply: true }, opts);
}
