/**
 * The restore of a recovery stack's application namespaces from a lost stack's replicated Velero
 * backups (docs/runbooks/disaster-recovery.md). It comes after the applications, so the program's own
 * objects exist first and win; Velero adds what the applications made at run time.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { VELERO } from "./velero";

/** The name of the Restore. */
export const VELERO_RECOVERY_RESTORE = "disaster-recovery";

/**
 * The Restore's spec: the application namespaces of the named backup. Existing objects are left as they
 * are (`existingResourcePolicy: none`, reported as warnings); no cluster-scoped objects; no volumes,
 * since their EBS snapshots stayed in the lost region.
 */
export function recoveryRestoreSpec(backupName: string, applicationNamespaces: readonly string[]): Record<string, unknown> {
    return {
        backupName,
        includedNamespaces: [...applicationNamespaces].sort(),
        includeClusterResources: false,
        restorePVs: false,
        existingResourcePolicy: "none",
    };
}

/** Arguments of {@link VeleroRecovery}. */
export interface VeleroRecoveryArgs {
    /** The Velero backup to restore (listed on the read-only location `recovery`). */
    backupName: string;
    /** The application namespaces to restore. */
    applicationNamespaces: readonly string[];
    /** The cluster's Kubernetes provider. */
    provider: k8s.Provider;
    /** What must exist first: the Velero release (with its recovery location) and the applications. */
    after: pulumi.Input<pulumi.Resource>[];
}

/** The Restore object. Not awaited: `pulumi up` finishes while Velero restores (`velero restore describe disaster-recovery`). */
export class VeleroRecovery extends pulumi.ComponentResource {
    /** The Restore. */
    public readonly restore: k8s.apiextensions.CustomResource;

    constructor(name: string, args: VeleroRecoveryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:addons:VeleroRecovery", name, {}, opts);
        this.restore = new k8s.apiextensions.CustomResource(
            `${name}-restore`,
            {
                apiVersion: "velero.io/v1",
                kind: "Restore",
                metadata: { name: VELERO_RECOVERY_RESTORE, namespace: VELERO.namespace },
                spec: recoveryRestoreSpec(args.backupName, args.applicationNamespaces),
            },
            { parent: this, provider: args.provider, dependsOn: args.after },
        );
        this.registerOutputs({});
    }
}
