/** A problem+json answer of the API: a stable code, the message in both languages, the fields or the rule. */
export interface Problem {
  status: number;
  code: string;
  detail: { vi: string; en: string };
  issues?: { path: string; code: string; message: { vi: string; en: string } | string }[];
  rule?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail.en);
  }
  get status() {
    return this.problem.status;
  }
  /** Field path → message, for showing errors next to the fields they name. */
  fieldMessages(lang: 'vi' | 'en'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of this.problem.issues ?? [])
      out[i.path] = typeof i.message === 'string' ? i.message : i.message[lang];
    return out;
  }
}

let csrfToken: string | undefined;
export const setCsrfToken = (t: string | undefined) => {
  csrfToken = t;
};

/** Calls the API with the session cookie, the CSRF header on writes, and problem+json turned into ApiError. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  } catch {
    throw new ApiError({
      status: 0,
      code: 'network',
      detail: { vi: 'Không kết nối được máy chủ', en: 'Cannot reach the server' },
    });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as Partial<Problem>;
    throw new ApiError({
      status: res.status,
      code: p.code ?? 'http',
      detail: p.detail ?? { vi: `Lỗi ${res.status}`, en: `Error ${res.status}` },
      ...(p.issues ? { issues: p.issues } : {}),
      ...(p.rule ? { rule: p.rule } : {}),
    });
  }
  return data as T;
}

export interface Me {
  id: string;
  username: string;
  fullName: string;
  roles: { role: string; unitCode?: string; provinceCode?: string }[];
  units: string[];
  csrfToken?: string;
}

export interface Unit {
  code: string;
  name: string;
  provinceCode: string;
}

export type Channel = 'direct' | 'online' | 'postal';

export interface Limit {
  unit: 'workingDays' | 'workingHours' | 'calendarDays' | 'months' | 'sameDay' | 'immediate';
  value?: number;
  cutoff?: string;
  onVerification?: Limit;
}

export interface Procedure {
  code: string;
  name: { vi: string; en: string };
  field?: { code: string; name: { vi: string; en: string } };
  limit: Limit;
  channels: Channel[];
  documents: { name: string; form?: string; count?: number; template?: string }[];
  fees?: {
    items: {
      id: string;
      kind: string;
      name: { vi: string; en: string };
      amount?: number;
      basis?: string;
      tiers?: { from: number; to?: number; amount: number }[];
    }[];
  };
  online?: string;
}

export interface Dossier {
  id: string;
  code: string;
  unitCode: string;
  procedureCode: string;
  procedureName: string;
  channel: Channel;
  receivedAt: string;
  phase: string;
  appointment: string | null;
  originalAppointment: string | null;
  classification: string | null;
  supplementRequests: number;
  eventCount: number;
  assignedTo: string | null;
  currentStep: string | null;
  overdue: boolean;
}

export interface DossierEventRecord {
  seq: number;
  event: { type: string; at: string; officer?: { id: string; name?: string }; [k: string]: unknown };
  recordedBy: string | null;
  recordedAt: string;
}
