/**
 * The cluster's default StorageClass: encrypted gp3 volumes from the EBS CSI driver.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** Name of the default StorageClass; charts that need storage reference it. */
export const DEFAULT_STORAGE_CLASS = "gp3";

/**
 * gp3, encrypted with the cluster key, bound only once a pod is scheduled (so the volume is created in
 * that pod's AZ), expandable in place, deleted with its claim.
 */
export function defaultStorageClassArgs(volumeKeyArn: pulumi.Input<string>): k8s.storage.v1.StorageClassArgs {
    return {
        metadata: {
            name: DEFAULT_STORAGE_CLASS,
            annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
        },
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", encrypted: "true", kmsKeyId: volumeKeyArn, "csi.storage.k8s.io/fstype": "ext4" },
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
        reclaimPolicy: "Delete",
    };
}
