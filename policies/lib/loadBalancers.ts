/**
 * Shared reading of load balancers and TLS policies.
 */
import { asString, prop } from "./values";

/** The ELB security policies that allow only TLS 1.2 and later (prefixes). */
export const TLS12_POLICY_PREFIXES = ["ELBSecurityPolicy-TLS13-1-2", "ELBSecurityPolicy-TLS13-1-3", "ELBSecurityPolicy-TLS-1-2", "ELBSecurityPolicy-FS-1-2"];

/** `application`, `network` or `gateway` (AWS defaults to application). */
export function loadBalancerTypeOf(props: Record<string, unknown>): string {
    return asString(prop(props, "loadBalancerType")) ?? "application";
}
