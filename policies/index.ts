/**
 * The CrossGuard pack, as the Pulumi CLI loads it: `pulumi preview --policy-pack policies
 * --policy-pack-config policies/config/<stack>.json`. The built-in level of each rule is its prod level;
 * the per-stack config files relax rules for dev.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, rules } from "./rules";

new PolicyPack(PACK_NAME, {
    policies: rules.map((rule) => ({ ...rule.policy, enforcementLevel: rule.levels.prod })),
});
