/**
 * Config keys of pull-request previews: the IAM roles that run `pulumi preview` of the stack, and the two
 * things outside the program they must read, the state bucket and the secrets provider's KMS key.
 */
import { list, text } from "../fields";

const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
// S3 bucket naming rules: 3 to 63 characters, lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// A single-region key id is a UUID; a multi-Region key id is mrk- and 32 hex digits.
const KMS_KEY_ARN =
    /^arn:aws(-cn|-us-gov)?:kms:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

function checkRole(value: string): string | undefined {
    return ROLE_ARN.test(value)
        ? undefined
        : 'is not an IAM role ARN; expected "arn:aws:iam::<account>:role/<name>" (the role the pull-request job assumes; the preview policy is attached to roles)';
}

function checkBucket(value: string): string | undefined {
    return value === "" || BUCKET_NAME.test(value)
        ? undefined
        : 'is not an S3 bucket name; expected the bucket of PULUMI_BACKEND_URL without "s3://", for example "platform-pulumi-state"';
}

function checkKeyArn(value: string): string | undefined {
    return value === "" || KMS_KEY_ARN.test(value)
        ? undefined
        : 'is not a KMS key ARN; expected "arn:aws:kms:<region>:<account>:key/<key id>", the key behind the stack\'s secrets provider (aws kms describe-key --key-id alias/pulumi-<stack> --query KeyMetadata.Arn), not its alias';
}

/** The preview keys. */
export const previewKeys = {
    "preview.roleArns": list({
        description:
            "IAM roles that run `pulumi preview` of this stack (the pull-request job). Each gets an EKS access entry in the Kubernetes group platform-previewers, which may read the kinds the program manages and send them dry-run creates and patches (a ValidatingAdmissionPolicy refuses every request of the group that is not a dry run; no access to Secrets), and the managed policy <project>-<stack>-preview (read of this stack's state, decrypt with its secrets key). Empty: no preview access.",
        default: [],
        unique: true,
        item: checkRole,
    }),
    "preview.stateBucket": text({
        description:
            "S3 bucket of the Pulumi state (PULUMI_BACKEND_URL s3://<bucket>, state at the bucket's root), which the preview roles read. Required with preview.roleArns.",
        default: "",
        check: checkBucket,
    }),
    "preview.secretsKeyArn": text({
        description:
            "ARN of the KMS key of the stack's secrets provider (awskms://alias/pulumi-<stack>), with which the preview roles decrypt the stack's secrets. Required with preview.roleArns.",
        default: "",
        check: checkKeyArn,
    }),
};
