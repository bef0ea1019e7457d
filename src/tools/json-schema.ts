import { z } from 'zod';

/**
 * zod → JSON Schema exactly as go-sdk's jsonschema-go v0.4.2 infers it from a Go struct, so a
 * tool served here is indistinguishable from the gateway's own in `tools/list`:
 *
 * | zod                              | Go             | JSON Schema                                 |
 * |----------------------------------|----------------|---------------------------------------------|
 * | z.string() / z.int() / z.number() / z.boolean() | string / int / float64 / bool | "string" / "integer" / "number" / "boolean" |
 * | .nullable()                      | *T, []T        | "type": ["null", T]                         |
 * | z.array(T)                       | []T            | "array" with items                          |
 * | z.record(z.string(), z.string()) | map[string]string | object, additionalProperties {type: string} |
 * | z.record(z.string(), z.unknown())| map[string]any | object, additionalProperties {}             |
 * | z.strictObject({...})            | struct         | properties, required, additionalProperties:false |
 * | .optional()                      | `omitempty`    | left out of `required`                      |
 *
 * Value sets (z.enum) become plain strings: hoop's schemas carry no enum, only its handlers check.
 * Anything else throws, so a schema the gateway could not have produced never ships.
 */
export type JsonSchema = { type: 'object' } & Record<string, unknown>;

export function toJsonSchema(schema: z.ZodObject): JsonSchema {
  return objectSchema(schema, false) as JsonSchema;
}

function objectSchema(schema: z.ZodObject, nullable: boolean): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [key, field] of Object.entries(schema.shape)) {
    const optional = field instanceof z.ZodOptional;
    properties[key] = convert(optional ? field.unwrap() : field, key);
    if (!optional) required.push(key);
  }
  const out: Record<string, unknown> = { type: nullable ? ['null', 'object'] : 'object' };
  if (required.length + Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  out.additionalProperties = false;
  return out;
}

function convert(schema: z.core.$ZodType, at: string): Record<string, unknown> {
  const nullable = schema instanceof z.ZodNullable;
  const inner = nullable ? schema.unwrap() : schema;
  const typed = (t: string): string | string[] => (nullable ? ['null', t] : t);
  if (inner instanceof z.ZodObject) return objectSchema(inner, nullable);
  if (inner instanceof z.ZodString || inner instanceof z.ZodEnum) return { type: typed('string') };
  if (inner instanceof z.ZodNumber) return { type: typed(inner.isInt ? 'integer' : 'number') };
  if (inner instanceof z.ZodBoolean) return { type: typed('boolean') };
  if (inner instanceof z.ZodArray) return { type: typed('array'), items: convert(inner.element, `${at}[]`) };
  if (inner instanceof z.ZodRecord && !nullable) {
    const value = inner._zod.def.valueType;
    if (value instanceof z.ZodUnknown) return { type: 'object', additionalProperties: {} };
    return { type: 'object', additionalProperties: convert(value, `${at}{}`) };
  }
  throw new Error(`json-schema: ${at}: no Go type gives ${inner.constructor.name}${nullable ? ' (nullable)' : ''}`);
}
