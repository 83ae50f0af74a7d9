import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isKind } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { CREDENTIAL_KEY, credentialsIn } from "../../lib/secretPatterns";
import { K8S } from "../../lib/types";
import { asRecord, describe, peek, show } from "../../lib/values";

const policy: ResourceValidationPolicy = {
    name: "platform-k8s-configmap-secrets",
    description:
        "ConfigMaps hold no credentials: no entry named like one (password, secret, token, api key, private key, credentials) with a value, and no value that looks like one (AWS access keys, private keys, password assignments). ConfigMaps are readable by every role that may read configuration, are not encrypted with the cluster key, and show up in the plan; credentials belong in Secrets (from Secrets Manager through the External Secrets Operator).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (!isKind(args.type, K8S.configMap)) {
            return;
        }
        {
            for (const field of ["data", "binaryData"]) {
                const entries = asRecord(peek(args.props, field)) ?? {};
                for (const key of Object.keys(entries)) {
                    const value = peek(entries, key);
                    if (typeof value !== "string" || value === "") {
                        continue;
                    }
                    const found = CREDENTIAL_KEY.test(key) ? ["an entry named like a credential"] : field === "data" ? credentialsIn(value) : [];
                    if (found.length > 0) {
                        reportViolation(
                            `${describe(args)} has ${found.join(" and ")} in ${field}[${show(key)}]. Move it to a Secret (an ExternalSecret from Secrets Manager).`,
                        );
                    }
                }
            }
        }
    },
};

/** No credentials in ConfigMaps. */
export const noSecretsInConfigMaps: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "mandatory" },
    sources: ["K8S-22"],
    partial: ["KSV-0109"],
};
