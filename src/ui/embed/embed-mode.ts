/** `?embed=1` (or any value but 0/false): the page as an iframe in a wiki or an ADR viewer. */
export function isEmbed(search: string): boolean {
  const value = new URLSearchParams(search).get('embed');
  return value !== null && value !== '0' && value !== 'false';
}

/** The same address without `embed`: the full lab on the same link. */
export function fullLabUrl(location: Pick<Location, 'origin' | 'pathname' | 'search'>): string {
  const params = new URLSearchParams(location.search);
  params.delete('embed');
  const query = params.toString();
  return `${location.origin}${location.pathname}${query ? `?${query}` : ''}`;
}
