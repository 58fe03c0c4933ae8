import type { RequestScope } from "../protocol/scope.js";
import { peerAddress } from "../util/peer-address.js";

/**
 * The peer's address as a rate-limit key: `address:<IPv4>`, or for IPv6 the
 * /64 network it belongs to (`address:2001:db8:0:1::/64`), since one host
 * is handed a whole /64 and could otherwise take a fresh bucket per request.
 * Undefined when the runtime gave no address (in-process, stdio, a
 * `mcp.fetch` told nothing). Never used for response caching: everyone
 * behind one NAT or proxy shares an address, and must not share results.
 */
export function addressOf(request: RequestScope): string | undefined {
  const address = request.http?.remoteAddress;
  return address === undefined ? undefined : addressKey(address);
}

/**
 * A `rateLimit({ by })` for a server behind `proxies` reverse proxies of
 * your own (default 1), each of which appends the address it received the
 * request from to `X-Forwarded-For`: the client is the entry the outermost
 * proxy appended, counted from the right. Entries further left were written
 * by the client and prove nothing. A request without enough entries (one
 * that did not come through the proxies) is keyed by its peer's address.
 */
export function forwardedFor(proxies = 1): (request: RequestScope) => string | undefined {
  if (!Number.isInteger(proxies) || proxies < 1)
    throw new TypeError(
      `forwardedFor(): proxies must be a positive whole number (the reverse proxies in front of the server), got ${String(proxies)}`,
    );
  return (request) => {
    const header = request.http?.headers["x-forwarded-for"];
    if (header !== undefined) {
      const entries = header.split(",");
      const entry = entries[entries.length - proxies]?.trim();
      if (entry !== undefined && entry !== "") return addressKey(unbracketed(entry));
    }
    return addressOf(request);
  };
}

/** `[2001:db8::1]:4711` and `[2001:db8::1]` (as some proxies write them) → `2001:db8::1`. */
function unbracketed(entry: string): string {
  if (entry.startsWith("[")) {
    const end = entry.indexOf("]");
    return end === -1 ? entry : entry.slice(1, end);
  }
  // `203.0.113.7:4711`: an IPv4 address with a port.
  const colon = entry.indexOf(":");
  return colon !== -1 && entry.indexOf(":", colon + 1) === -1 ? entry.slice(0, colon) : entry;
}

/** The key of an address: IPv4 as it is, IPv6 by its /64 (lower case, no leading zeros). */
export function addressKey(given: string): string {
  // An IPv4 client in the mapped IPv6 form is still one IPv4 client, not the ::/64 network.
  const address = peerAddress(given) ?? given;
  if (!address.includes(":")) return `address:${address}`;
  const network = ipv6Network(address);
  return network === undefined ? `address:${address}` : `address:${network}::/64`;
}

/** The first four groups of an IPv6 address, or undefined when it is not one. */
function ipv6Network(address: string): string | undefined {
  const zone = address.indexOf("%");
  const bare = (zone === -1 ? address : address.slice(0, zone)).toLowerCase();
  const halves = bare.split("::");
  if (halves.length > 2) return undefined;
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(missing).fill("0"), ...tail];
  return all.slice(0, 4).join(":");
}

/** Hex groups, an IPv4 tail counted as two; undefined on anything else. */
function groups(part: string): string[] | undefined {
  if (part === "") return [];
  const out: string[] = [];
  const pieces = part.split(":");
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    if (i === pieces.length - 1 && piece.includes(".")) {
      const octets = piece.split(".").map(Number);
      if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255))
        return undefined;
      const [a, b, c, d] = octets as [number, number, number, number];
      out.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    } else if (/^[0-9a-f]{1,4}$/.test(piece)) {
      out.push(Number.parseInt(piece, 16).toString(16));
    } else {
      return undefined;
    }
  }
  return out;
}
