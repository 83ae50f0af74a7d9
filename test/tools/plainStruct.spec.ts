import { expect } from "chai";
import { structModule, throughStruct, withPlainStructs } from "../../tools/offline/plainStruct";

interface Struct {
    toJavaScript(): unknown;
    getFieldsMap(): unknown;
    serializeBinary(): unknown;
}
/** The SDK's copy of google-protobuf's Struct. */
const Struct = structModule.Struct as unknown as { fromJavaScript(value: unknown): Struct };

/** A value with what the encoding treats specially: key order, nesting, arrays of objects, null, numbers, an own `__proto__`. */
function tricky(): Record<string, unknown> {
    const value: Record<string, unknown> = {
        zeta: [3, "b", { y: true, x: null }, [[]]],
        alpha: { nested: { b: 2, a: 1.5 }, empty: {} },
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "10": "numeric key",
        "9": -7,
        unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    };
    Object.defineProperty(value, "__proto__", { value: { own: "property" }, enumerable: true, writable: true, configurable: true });
    return value;
}

describe("plain Structs of the offline runtime (tools/offline/plainStruct.ts)", () => {
    it("give what a real Struct's round trip gives: the same values, keys in the same order", () => {
        const real = Struct.fromJavaScript(tricky()).toJavaScript();
        const plain = throughStruct(tricky());
        expect(JSON.stringify(plain)).to.equal(JSON.stringify(real));
        expect(Object.keys(plain as object)).to.deep.equal(Object.keys(real as object));
        // An own `__proto__` key does not survive the Struct's map; nor here.
        expect(Object.prototype.hasOwnProperty.call(real, "__proto__")).to.equal(false);
        expect(Object.prototype.hasOwnProperty.call(plain, "__proto__")).to.equal(false);
        expect(Object.getPrototypeOf(plain)).to.equal(Object.prototype);
    });

    it("refuse what the encoding refuses, with its message", () => {
        for (const bad of [{ a: undefined }, { f: () => 1 }, [Symbol("s")], { n: 1n }]) {
            expect(() => Struct.fromJavaScript(bad)).to.throw("Unexpected struct type.");
            expect(() => throughStruct(bad)).to.throw("Unexpected struct type.");
        }
    });

    it("during a run only: Struct.fromJavaScript copies the value (later changes do not show), toJavaScript gives fresh copies, anything else throws", async () => {
        const original = Struct.fromJavaScript;
        await withPlainStructs(async () => {
            const value = tricky();
            const struct = Struct.fromJavaScript(value);
            value.zeta = "changed";
            const first = struct.toJavaScript() as Record<string, unknown>;
            expect(first).to.deep.equal(throughStruct(tricky()));
            expect(struct.toJavaScript()).to.not.equal(first);
            expect(() => struct.getFieldsMap()).to.throw(/no protobuf fields/);
            expect(() => struct.serializeBinary()).to.throw(/cannot be encoded/);
        });
        expect(Struct.fromJavaScript).to.equal(original);
        await withPlainStructs(() => Promise.reject(new Error("boom"))).catch(() => undefined);
        expect(Struct.fromJavaScript).to.equal(original);
        expect(Struct.fromJavaScript({ a: 1 }).getFieldsMap()).to.not.equal(undefined);
    });
});
