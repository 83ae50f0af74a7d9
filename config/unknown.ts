/**
 * Config values that are set but whose value is unknown: a `secure:` value of a stack file that the
 * offline tools (the mock runtime of tools/offline and the tests) cannot decrypt, because the stack's
 * secrets provider is not here. Under the Pulumi CLI every `secure:` value reaches the program
 * decrypted, so none of this applies there.
 *
 * The offline tools pass {@link UNKNOWN_CONFIG_TEXT} as the key's config text; the config module turns
 * it into an {@link UnknownConfigValue}, skips the checks that need the plaintext and records each one
 * as an {@link UncheckedConfig}; a component that uses the value gets an unknown secret output from
 * {@link secretInput}, never the marker text.
 */
import * as pulumi from "@pulumi/pulumi";

/** The config text the offline tools give a key whose `secure:` value they cannot decrypt. */
export const UNKNOWN_CONFIG_TEXT = "[offline: secure value set in the stack file, not decrypted]";

/** A config value that is set but unknown (see the module comment). */
export class UnknownConfigValue {
    /** @param key The full config key, for example `platform:alerting.pagerDutyRoutingKey`. */
    constructor(readonly key: string) {}

    /** Never the marker text: anything that prints the value by mistake says what it is. */
    toString(): string {
        return `[unknown value of ${this.key}]`;
    }
}

/** True for the value of a key that is set but unknown. */
export function isUnknownConfigValue(value: unknown): value is UnknownConfigValue {
    return value instanceof UnknownConfigValue;
}

/** A check that was skipped because the value it needs is unknown offline. */
export interface UncheckedConfig {
    /** The full config key. */
    readonly key: string;
    /** What was not checked, for example "is a PagerDuty Events API v2 routing key". */
    readonly check: string;
}

/**
 * A secret config value as a secret output: the value itself, or (for a value that is unknown offline)
 * an unknown secret output, which a preview shows as unknown, as it would a value computed at deploy time.
 */
export function secretInput<T>(value: T | UnknownConfigValue): pulumi.Output<pulumi.Unwrap<T>> {
    return pulumi.secret(isUnknownConfigValue(value) ? (pulumi.unknown as unknown as T) : value);
}
