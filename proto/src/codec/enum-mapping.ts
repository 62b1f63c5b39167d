import { codecError, type CodecErrorKind } from './codec-error.js';

/**
 * A two-way table between a canonical string union and a generated proto enum, written once per enum
 * so that both directions cannot drift apart. The proto zero value (`*_UNSPECIFIED`) is never listed:
 * it means "not set", and each codec decides what that implies.
 */
export interface EnumMapping<Canonical extends string, Proto extends number> {
  /** Throws the codec's `ProviderError` for a string outside the union (untyped callers). */
  toProto(value: Canonical): Proto;
  /** `undefined` for the zero value and for numbers this build does not know (a newer peer's values). */
  fromProto(value: Proto): Canonical | undefined;
}

export function createEnumMapping<Canonical extends string, Proto extends number>(
  name: string,
  errorKind: CodecErrorKind,
  pairs: Record<Canonical, Proto>,
): EnumMapping<Canonical, Proto> {
  const entries = Object.entries(pairs) as Array<[Canonical, Proto]>;
  const toProto = new Map<string, Proto>(entries);
  const fromProto = new Map<number, Canonical>(entries.map(([canonical, proto]) => [proto, canonical]));
  return {
    toProto(value) {
      const proto = toProto.get(value);
      if (proto === undefined) throw codecError(errorKind, `Unknown ${name} "${String(value)}"`);
      return proto;
    },
    fromProto: (value) => fromProto.get(value),
  };
}
