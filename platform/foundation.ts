/**
 * What the platform's layers are built on: the validated config and the foundation that index.ts
 * creates first (account, keys, network, cluster, data tier, edge). The add-ons (platform/addons.ts) and
 * the applications (platform/applications.ts) are built from it by plain functions, so every resource
 * keeps the name and parent it would have in one file.
 */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config";
import type { DataTier } from "../components/data/data";
import type { Edge } from "../components/edge/edge";
import type { Eks } from "../components/eks/eks";
import type { PlatformKeys } from "../components/keys";
import type { AccountContext } from "../components/policyDocument";

/** The stack's foundation, as index.ts creates it. */
export interface Foundation {
    /** The validated config. */
    readonly config: PlatformConfig;
    /** Account, region and partition. */
    readonly account: pulumi.Output<AccountContext>;
    /** Resource options with the stack's AWS provider. */
    readonly inAccount: { readonly providers: { readonly aws: aws.Provider } };
    /** The stack's KMS keys. */
    readonly keys: PlatformKeys;
    /** The cluster and its core add-ons. */
    readonly eks: Eks;
    /** Database, cache, backups, alarms. */
    readonly data: DataTier;
    /** WAF and certificate. */
    readonly edge: Edge;
    /** The Pod Security Standards release every namespace enforces: the cluster's minor, such as v1.36. */
    readonly podSecurityVersion: string;
}
