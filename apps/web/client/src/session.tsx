import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, type Me, setCsrfToken, type Unit } from './api.js';

interface Session {
  me: Me | null | undefined;
  units: Unit[];
  unit: string | undefined;
  setUnit(code: string): void;
  roles(unit?: string): Set<string>;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const Ctx = createContext<Session | undefined>(undefined);
const UNIT_KEY = 'motcua.unit';

/** Who is signed in (undefined while loading, null when nobody), their units and the unit being worked in. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [units, setUnits] = useState<Unit[]>([]);
  const [unit, setUnitState] = useState<string | undefined>(undefined);
  const refresh = useCallback(async () => {
    try {
      const m = await api<Me>('/api/me');
      setCsrfToken(m.csrfToken);
      const us = await api<Unit[]>('/api/units');
      setUnits(us);
      const saved = localStorage.getItem(UNIT_KEY);
      setUnitState(saved && m.units.includes(saved) ? saved : m.units[0]);
      setMe(m);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setMe(null));
  }, [refresh]);
  const value: Session = {
    me,
    units,
    unit,
    setUnit: (c) => {
      localStorage.setItem(UNIT_KEY, c);
      setUnitState(c);
    },
    roles: (u = unit) =>
      new Set(
        (me?.roles ?? []).filter((r) => r.unitCode !== undefined && r.unitCode === u).map((r) => r.role),
      ),
    refresh,
    logout: async () => {
      await api('/api/auth/logout', { method: 'POST', body: {} }).catch(() => {});
      setCsrfToken(undefined);
      setMe(null);
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
