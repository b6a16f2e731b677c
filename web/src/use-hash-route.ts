/** The page's place lives in the hash (the gateway serves one file under /console/): #/invite/<token>, #/case/<number>, #/admin/<section>. */
import { useCallback, useEffect, useState } from 'preact/hooks';

export type Route = { page: 'invite'; token: string } | { page: 'inbox'; caseNumber: string | null } | { page: 'admin'; section: string };

export function parseHash(hash: string): Route {
  const invite = /^#\/invite\/([^/?#]+)$/.exec(hash);
  if (invite?.[1]) return { page: 'invite', token: decodeURIComponent(invite[1]) };
  const admin = /^#\/admin(?:\/([a-z-]+))?\/?$/.exec(hash);
  if (admin) return { page: 'admin', section: admin[1] ?? '' };
  // #/case/CS0001001, or the old console's #CS0001001 (email notices link there)
  const kase = /^#\/?(?:case\/)?(CS\d{7,})$/i.exec(hash);
  return { page: 'inbox', caseNumber: kase?.[1] ? kase[1].toUpperCase() : null };
}

export function useHashRoute(): [Route, (hash: string, replace?: boolean) => void] {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  const go = useCallback((hash: string, replace = false) => {
    if (replace) history.replaceState(null, '', hash || location.pathname + location.search);
    else if (hash) location.hash = hash;
    else history.pushState(null, '', location.pathname + location.search);
    setRoute(parseHash(hash));
  }, []);
  return [route, go];
}
