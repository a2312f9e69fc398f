// Hash routes: every view is a shareable URL (#/workflows?status=Running, #/workflows/{id}?tab=compact, …).

/** The current route: path segments (decoded) and query parameters of the hash. */
export function route() {
  const [path, search] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(search ?? '') };
}

/** Navigates to a hash route built from segments (each escaped) and parameters. */
export function go(parts, params = {}) {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')).toString();
  location.hash = '#/' + parts.map(encodeURIComponent).join('/') + (search ? '?' + search : '');
}
