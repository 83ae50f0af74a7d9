/**
 * The typed settings of pull-request previews, built from the parsed keys.
 */
import type { ConfigValues } from "./schema";

/** Who runs `pulumi preview` of the stack, and what outside the program it reads. */
export interface PreviewConfig {
    /** IAM roles that run previews; empty: no preview access. */
    readonly roleArns: readonly string[];
    /** S3 bucket of the Pulumi state; set whenever `roleArns` is not empty. */
    readonly stateBucket?: string;
    /** ARN of the secrets provider's KMS key; set whenever `roleArns` is not empty. */
    readonly secretsKeyArn?: string;
}

/** The preview section of the platform config. */
export interface PreviewSections {
    /** Pull-request previews. */
    readonly preview: PreviewConfig;
}

const orUndefined = (value: string): string | undefined => (value === "" ? undefined : value);

/** Builds the preview section from the parsed keys. */
export function previewSections(values: ConfigValues): PreviewSections {
    return {
        preview: {
            roleArns: values["preview.roleArns"],
            stateBucket: orUndefined(values["preview.stateBucket"]),
            secretsKeyArn: orUndefined(values["preview.secretsKeyArn"]),
        },
    };
}
