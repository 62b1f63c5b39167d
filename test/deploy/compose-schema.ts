import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The compose-spec JSON schema as the dclint package ships it (kept current with compose-spec upstream),
 * compiled once with every error reported rather than the first. The schema's file is not an export of
 * the package, so it is found beside the package's manifest.
 */
let validator: ValidateFunction | undefined;

function composeSpecValidator(): ValidateFunction {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const schemaPath = join(dirname(require.resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  // ajv knows draft-07 by its own identifier, not by the https form the schema declares.
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  const addFormats = addFormatsModule as unknown as (instance: Ajv) => Ajv;
  addFormats(ajv);
  validator = ajv.compile(schema);
  return validator;
}

/** Schema errors as "path: message" lines; empty when the document is a valid compose file. */
export function composeSpecErrors(document: unknown): string[] {
  const validate = composeSpecValidator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
}
