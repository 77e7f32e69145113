/**
 * Whether an `If-None-Match` header names `etag`: `*`, or a list of tags one of which
 * equals it under weak comparison (RFC 9110, 13.1.2: `W/` aside, the quoted tags match).
 */
export function namesTag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  const bare = (tag: string) => tag.trim().replace(/^W\//, "");
  const wanted = bare(etag);
  return header.split(",").some((tag) => bare(tag) === wanted);
}
