/**
 * Generates Pulumi.yaml from the config schema, so that the project file declares every config key with
 * its type, description and default exactly as the config module validates it.
 * `npm run generate` rewrites the file (tools/generate.ts); a test fails when it is out of date.
 */
import { stringify } from "yaml";
import { schema } from "../config/schema";
import type { Field } from "../config/fields";

/** The Pulumi.yaml declaration of one key. */
export function declaration(field: Field<unknown>): Record<string, unknown> {
    const decl: Record<string, unknown> = {};
    if (field.projectType !== undefined) {
        decl.type = field.projectType;
    }
    if (field.projectType === "array") {
        decl.items = { type: "string" };
    }
    decl.description = field.description;
    if (field.default !== undefined) {
        decl.default = field.default;
    }
    if (field.secret) {
        decl.secret = true;
    }
    return decl;
}

/** The whole Pulumi.yaml document. */
export function projectDocument(): Record<string, unknown> {
    return {
        name: "platform",
        description: "Hardened AWS platform: VPC, EKS, data stores, edge and add-ons, one stack per environment.",
        runtime: {
            name: "nodejs",
            options: {
                typescript: true,
                // Transpile only (noCheck): type-checking @pulumi/aws on every preview costs seconds and a
                // gigabyte; CI type-checks with `npm run typecheck`.
                tsconfig: "tsconfig.pulumi.json",
                packagemanager: "npm",
            },
        },
        config: {
            // Every aws and kubernetes resource and invoke must name its provider (the tagged stack provider,
            // the cluster's provider): an accidental default provider would deploy untagged, or to the
            // wrong cluster.
            "pulumi:disable-default-providers": { value: ["aws", "kubernetes"] },
            ...Object.fromEntries(Object.entries(schema).map(([key, field]) => [key, declaration(field as Field<unknown>)])),
        },
    };
}

/** The text of Pulumi.yaml. */
export function projectFileText(): string {
    return "# Generated from config/ by `npm run generate`: edit the key tables there, not this file.\n" + stringify(projectDocument(), { lineWidth: 0 });
}
