import type { StackValidationPolicy } from "@pulumi/policy";
import { ofTypesWhere } from "../../lib/graph";
import { containersOf, isKind, podTemplateOf } from "../../lib/kubernetes";
import type { PlatformRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { asNumber, asString, at, describe, peek, prop, records, UNKNOWN } from "../../lib/values";
import { parseImage } from "./hardenWorkload";

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;

const policy: StackValidationPolicy = {
    name: "platform-k8s-workload-recommended",
    description:
        "Recommended for workloads: secrets mounted as files, not passed in environment variables (secretKeyRef or literal values of secret-looking variables), a UID of 10000 or more (no clash with node users), a CPU limit, and images pinned by digest. Advisory only, so it is checked once over the whole stack.",
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        for (const r of ofTypesWhere(args.resources, (type) => isKind(type, K8S.workloads))) {
            const { spec } = podTemplateOf(r.type, r.props);
            const report = (problem: string) => reportViolation(`${describe(r)} ${problem}.`, r.urn);
            const podUser = asNumber(at(spec, "securityContext", "runAsUser"));
            for (const { container, label, ephemeral } of containersOf(spec)) {
                for (const env of records(prop(container, "env"))) {
                    const name = asString(prop(env, "name")) ?? "?";
                    if (peek(env, "valueFrom", "secretKeyRef") !== undefined) {
                        report(
                            `passes the secret ${name} to ${label} in an environment variable, which leaks into crash dumps and child processes. Mount the Secret as a file (a secret volume) instead`,
                        );
                    } else if (SECRET_NAME.test(name) && typeof peek(env, "value") === "string" && peek(env, "value") !== "") {
                        report(`sets ${name} of ${label} to a literal value. Keep secrets in a Secret (or Secrets Manager) and mount them as files`);
                    }
                }
                const user = asNumber(at(container, "securityContext", "runAsUser")) ?? podUser;
                if (!ephemeral && (user === undefined || user < 10000)) {
                    report(`runs ${label} ${user === undefined ? "with the image's user" : `as UID ${user}`}. Set securityContext.runAsUser to 10000 or more`);
                }
                if (!ephemeral && peek(container, "resources", "limits", "cpu") === undefined) {
                    report(`sets no CPU limit on ${label}. Set resources.limits.cpu`);
                }
                const image = peek(container, "image");
                if (image !== UNKNOWN && typeof image === "string" && !parseImage(image).digest) {
                    report(`runs ${image} in ${label} by tag. Pin it by digest (image@sha256:...) so the running image cannot change under the tag`);
                }
            }
        }
    },
};

/** K-15, and the advisory parts of K-07 (UID 10000+), K-11 (CPU limit) and K-13 (digest). */
export const recommendWorkloadSettings: PlatformRule = {
    policy,
    levels: { prod: "advisory", dev: "advisory" },
    sources: ["K-15", "K-07", "K-11", "K-13", "CIS EKS 4.4.1", "CKV_K8S_35", "CKV_K8S_40", "CKV_K8S_11", "CKV_K8S_43", "KSV-0011"],
    partial: ["KSV-0020"],
};
