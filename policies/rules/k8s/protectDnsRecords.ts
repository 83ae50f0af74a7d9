import type { StackValidationPolicy } from "@pulumi/policy";
import { checkEachResource } from "../../lib/stackCheck";
import type { PlatformRule } from "../../lib/rule";
import { HELM_RELEASE } from "../../lib/types";
import { asRecord, asString, at, describe, prop, show } from "../../lib/values";

/** The policies that never delete a record (the chart's default, `upsert-only`, and `create-only`). */
const NON_DELETING = ["upsert-only", "create-only"];

interface Settings {
    allowSync?: boolean;
}

/** The value of flag `name` in the chart's `extraArgs` (a map of flag to value, or a list of `--flag=value`), which the chart renders after its own flags, so the last one wins. */
function extraArg(extraArgs: unknown, name: string): unknown {
    const map = asRecord(extraArgs);
    if (map !== undefined && !Array.isArray(extraArgs)) {
        return prop(map, name);
    }
    if (!Array.isArray(extraArgs)) {
        return undefined;
    }
    const prefix = `--${name}=`;
    const values = extraArgs.filter((a): a is string => typeof a === "string" && a.startsWith(prefix)).map((a) => a.slice(prefix.length));
    return values.length > 0 ? values[values.length - 1] : undefined;
}

/** True for the external-dns chart, by name or as a chart URL or path ending in it. */
function isExternalDns(chart: string | undefined): boolean {
    return chart !== undefined && /(^|\/)external-dns(-[0-9][^/]*\.tgz)?$/.test(chart);
}

const policy: StackValidationPolicy = {
    name: "platform-k8s-external-dns-records",
    description:
        "external-dns never deletes a record it does not own, and in prod none at all: its release names a txtOwnerId (without one every instance owns its records as `default` and takes the others' for its own), keeps the TXT registry (noop records no ownership), and runs upsert-only (or create-only) unless allowSync is set for the stack (dev), since sync deletes every record it owns once its Ingress is gone.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            allowSync: {
                type: "boolean",
                default: false,
                description: "Whether external-dns may run with policy sync (delete the records it owns once their source is gone).",
            },
        },
    },
    validateStack: checkEachResource([HELM_RELEASE], (args, reportViolation) => {
        if (!isExternalDns(asString(args.props.chart))) {
            return;
        }
        const settings = args.getConfig<Settings>();
        const values = at(args.props, "values");
        const extraArgs = prop(values, "extraArgs");
        const policyValue = extraArg(extraArgs, "policy") ?? prop(values, "policy") ?? "upsert-only";
        const allowed = settings.allowSync === true ? [...NON_DELETING, "sync"] : NON_DELETING;
        if (policyValue === "sync" && !allowed.includes(policyValue)) {
            reportViolation(
                `${describe(args)} runs external-dns with policy "sync", which deletes the records it owns once their Ingress is gone (allowSync is off in this stack). Set values.policy to "upsert-only".`,
            );
        } else if (typeof policyValue !== "string" || !allowed.includes(policyValue)) {
            reportViolation(
                `${describe(args)} runs external-dns with policy ${show(policyValue)}, which is not one of ${allowed.join(", ")}. Set values.policy to "upsert-only".`,
            );
        }
        const ownerId = extraArg(extraArgs, "txt-owner-id") ?? prop(values, "txtOwnerId");
        if (typeof ownerId !== "string" || ownerId.trim() === "" || ownerId === "default") {
            reportViolation(
                `${describe(args)} runs external-dns without a txtOwnerId of its own, so it owns its records as "default" and takes any other such instance's records in the zone for its own. Set values.txtOwnerId to an id unique to the stack and cluster.`,
            );
        }
        const registry = prop(values, "registry");
        if (registry === "noop") {
            reportViolation(
                `${describe(args)} runs external-dns with the noop registry, which records no ownership: it changes any record of its zones. Set values.registry to "txt" (the chart's default) with a txtOwnerId.`,
            );
        }
    }),
};

/** HELM-03 (external-dns: ownership and deletion of DNS records); mandatory in prod, advisory in dev, where sync is allowed. */
export const protectDnsRecords: PlatformRule = {
    policy,
    levels: { prod: "mandatory", dev: "advisory" },
    sources: ["HELM-03"],
    config: {
        prod: { allowSync: false },
        dev: { allowSync: true },
    },
};
