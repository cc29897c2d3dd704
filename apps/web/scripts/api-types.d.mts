/** apps/api/openapi.json */
export declare const SPEC_FILE: URL;
/** apps/web/src/api/schema.gen.ts */
export declare const TYPES_FILE: URL;
/** The text of schema.gen.ts for an OpenAPI document (a file URL or the parsed document). */
export declare function renderApiTypes(spec?: URL | Record<string, unknown>): Promise<string>;
