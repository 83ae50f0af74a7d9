import type { StackValidationPolicy } from "@pulumi/policy";
import type { PlatformRule } from "../../lib/rule";
import { bucketView, settingsOf } from "../../lib/s3";
import { asString, at, describe, prop, records } from "../../lib/values";

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)$/;

const policy: StackValidationPolicy = {
    name: "platform-s3-bucket-ownership",
    description:
        'Every S3 bucket disables ACLs (a BucketOwnershipControls with objectOwnership "BucketOwnerEnforced"), and no ACL (BucketAcl, BucketAclV2 or the inline acl) grants public-read, public-read-write or authenticated-read: access is decided by policies alone.',
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const view = bucketView(args.resources);
        for (const controls of view.settings.get("ownership") ?? []) {
            const ownership = asString(at(controls.props, "rule", "objectOwnership"));
            if (ownership !== "BucketOwnerEnforced") {
                reportViolation(
                    `${describe(controls)} sets objectOwnership ${JSON.stringify(ownership ?? null)}, which keeps ACLs working. Set rule.objectOwnership to "BucketOwnerEnforced".`,
                    controls.urn,
                );
            }
        }
        for (const bucket of view.buckets) {
            if (settingsOf(bucket, "ownership").length === 0) {
                reportViolation(
                    `${describe(bucket.resource)} still honours ACLs. Add an aws.s3.BucketOwnershipControls for it with rule.objectOwnership "BucketOwnerEnforced".`,
                    bucket.resource.urn,
                );
            }
        }
        for (const r of [...(view.settings.get("acl") ?? []), ...view.buckets.map((b) => b.resource)]) {
            const acl = asString(prop(r.props, "acl"));
            const publicGrant = records(at(r.props, "accessControlPolicy", "grants")).some((g) =>
                PUBLIC_GRANTEES.test(asString(at(g, "grantee", "uri")) ?? ""),
            );
            if ((acl !== undefined && PUBLIC_ACLS.includes(acl)) || publicGrant) {
                reportViolation(
                    `${describe(r)} grants ${acl ?? "AllUsers or AuthenticatedUsers"} access through an ACL. Remove the ACL: with BucketOwnerEnforced ownership, access is granted by the bucket policy only.`,
                    r.urn,
                );
            }
        }
    },
};

/** S3-05. */
export const enforceBucketOwnership: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["S3-05", "X-01", "S3.12", "S3.2", "S3.3", "CKV2_AWS_65", "CKV_AWS_20", "CKV_AWS_57", "CKV2_AWS_43", "AVD-AWS-0092"],
};
