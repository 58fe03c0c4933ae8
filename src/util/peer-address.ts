/**
 * `::ffff:127.0.0.1` → `127.0.0.1`: one client, one form, whichever socket
 * family served it (a dual-stack listener reports IPv4 peers mapped into
 * IPv6, and proxies on Node write that form into `X-Forwarded-For`).
 */
export function peerAddress(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 7 && raw.charCodeAt(0) === 58 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(raw))
    return raw.slice(7);
  return raw;
}
