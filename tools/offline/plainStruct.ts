/**
 * Protobuf Structs without protobuf, for the offline runtime's own registration path. The SDK turns every
 * registration's properties (and every invoke's arguments and results) into a google.protobuf.Struct,
 * which the mock monitor turns straight back into plain JavaScript; that round trip was about a tenth of
 * the offline plan. During a run, `Struct.fromJavaScript` makes a {@link PlainStruct} instead: it checks
 * and copies the value as the encoding would (the same types accepted, the same error otherwise), and its
 * `toJavaScript()` gives what decoding would (a fresh copy, every object's keys sorted as the Struct's map
 * yields them). Any other use of it (its fields, its bytes) throws instead of answering wrongly. The
 * runtime's reference path (`viaSdkMonitor`) keeps the real Structs, and a test holds the two records
 * equal byte for byte (test/tools/runtime.spec.ts).
 */
import * as path from "node:path";

/** The parts of google-protobuf's Struct module used here (the copy the SDK loads). */
export interface StructModule {
    Struct: {
        new (): object;
        fromJavaScript(value: unknown): object;
        prototype: object;
    };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved from the SDK, so that it is the SDK's copy
export const structModule = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }),
) as StructModule;

/**
 * What encoding `value` as a google.protobuf.Value and decoding it gives: strings, numbers, booleans and
 * null as they are, arrays element by element, objects by their enumerable properties (`for ... in`, as
 * the encoder reads them) with the keys sorted and an own `__proto__` dropped; anything else is refused
 * as the encoder refuses it.
 */
export function throughStruct(value: unknown): unknown {
    if (value === null) {
        return null;
    }
    switch (typeof value) {
        case "string":
        case "number":
        case "boolean":
            return value;
        case "object": {
            if (Array.isArray(value)) {
                const copy = new Array<unknown>(value.length);
                for (let i = 0; i < value.length; i++) {
                    copy[i] = throughStruct(value[i]);
                }
                return copy;
            }
            const keys: string[] = [];
            for (const key in value) {
                // The Struct's map keeps its entries on a plain object, where `__proto__` is no entry: dropped.
                if (key !== "__proto__") {
                    keys.push(key);
                }
            }
            keys.sort();
            const copy: Record<string, unknown> = {};
            for (const key of keys) {
                copy[key] = throughStruct((value as Record<string, unknown>)[key]);
            }
            return copy;
        }
        default:
            throw new Error("Unexpected struct type.");
    }
}

/** A Struct that holds its value as plain JavaScript; only `toJavaScript()` (and what setting it as a message field needs) works. */
class PlainStruct extends structModule.Struct {
    readonly #value: Record<string, unknown>;

    constructor(value: Record<string, unknown>) {
        super();
        this.#value = value;
    }

    toJavaScript(): Record<string, unknown> {
        return throughStruct(this.#value) as Record<string, unknown>;
    }

    getFieldsMap(): never {
        throw new Error("offline runtime: a PlainStruct has no protobuf fields (only toJavaScript); run with viaSdkMonitor to use real Structs");
    }

    serializeBinary(): never {
        throw new Error("offline runtime: a PlainStruct cannot be encoded (only toJavaScript); run with viaSdkMonitor to use real Structs");
    }

    toObject(): never {
        throw new Error("offline runtime: a PlainStruct has no protobuf fields (only toJavaScript); run with viaSdkMonitor to use real Structs");
    }
}

/** Runs `body` with `Struct.fromJavaScript` making {@link PlainStruct}s; the SDK's own is back afterwards, whatever happens. */
export async function withPlainStructs<T>(body: () => Promise<T>): Promise<T> {
    const fromJavaScript = Object.getOwnPropertyDescriptor(structModule.Struct, "fromJavaScript");
    structModule.Struct.fromJavaScript = (value: unknown) => new PlainStruct(throughStruct(value) as Record<string, unknown>);
    try {
        return await body();
    } finally {
        if (fromJavaScript) {
            Object.defineProperty(structModule.Struct, "fromJavaScript", fromJavaScript);
        }
    }
}
