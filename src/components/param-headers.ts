import { isRecord } from "../protocol/meta.js";
import type { ParamHeader } from "../protocol/param-header.js";

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Finds every `x-mcp-header` annotation in a tool's input schema, enforcing
 * the spec's rules (clients drop tools that break them, so we refuse them at
 * registration): an RFC 9110 token, unique case-insensitively, only on
 * string/integer/boolean properties reachable through `properties` alone.
 */
export function extractParamHeaders(schema: Record<string, unknown>, tool: string): ParamHeader[] {
  const found: ParamHeader[] = [];
  const seen = new Set<string>();
  const visit = (node: Record<string, unknown>, path: string[]) => {
    const properties = node.properties;
    if (!isRecord(properties)) return;
    for (const [key, child] of Object.entries(properties)) {
      if (!isRecord(child)) continue;
      const childPath = [...path, key];
      const annotation = child["x-mcp-header"];
      if (annotation !== undefined) {
        const where = `Tool "${tool}": x-mcp-header on "${childPath.join(".")}"`;
        if (typeof annotation !== "string" || !TOKEN.test(annotation))
          throw new TypeError(
            `${where} must be a non-empty HTTP token (letters, digits, !#$%&'*+-.^_\`|~)`,
          );
        const type = child.type;
        if (type !== "string" && type !== "integer" && type !== "boolean")
          throw new TypeError(`${where} is only allowed on string, integer or boolean properties`);
        const header = `mcp-param-${annotation.toLowerCase()}`;
        if (seen.has(header)) throw new TypeError(`${where}: "${annotation}" is used twice`);
        seen.add(header);
        found.push({ name: annotation, header, path: childPath, type });
      }
      visit(child, childPath);
    }
  };
  visit(schema, []);
  return found;
}
