/**
 * Cross-key rules of the preview keys, checked after every key has parsed on its own.
 */
import { show } from "../fields";
import type { ConfigValues } from "../schema";
import type { ProblemList } from "../rules";

/** Preview roles need the state bucket and the secrets key, and each has one access entry of its own. */
export function checkPreviewAccess(values: ConfigValues, problems: ProblemList): void {
    const roles = values["preview.roleArns"];
    if (roles.length === 0) {
        return;
    }
    if (values["preview.stateBucket"] === "") {
        problems.add(
            "preview.stateBucket",
            "is not set, but platform:preview.roleArns lists preview roles; expected the bucket of PULUMI_BACKEND_URL (s3://<bucket>), whose state of this stack they read",
        );
    }
    if (values["preview.secretsKeyArn"] === "") {
        problems.add(
            "preview.secretsKeyArn",
            "is not set, but platform:preview.roleArns lists preview roles; expected the ARN of the stack's secrets provider key (aws kms describe-key --key-id alias/pulumi-<stack> --query KeyMetadata.Arn), with which they decrypt the stack's secrets",
        );
    }
    const elsewhere = new Map<string, string>([
        ...values["eks.adminPrincipalArns"].map((arn) => [arn, "platform:eks.adminPrincipalArns"] as const),
        ...values["eks.viewerPrincipalArns"].map((arn) => [arn, "platform:eks.viewerPrincipalArns"] as const),
    ]);
    for (const arn of roles) {
        const list = elsewhere.get(arn);
        if (list !== undefined) {
            problems.add(
                "preview.roleArns",
                `${show(arn)} is also in ${list}; expected each principal in one list (a principal has a single access entry, and a preview role must not hold more than previews need)`,
            );
        }
    }
}
