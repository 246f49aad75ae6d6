/** User accounts as admins see them (`GET /api/v1/users`, `GET /api/v1/users/:id`). Types only. */
import type { Role } from '@cur/domain';
import type { Named } from './messages';

export interface UserView {
  id: string;
  login: string;
  displayName: string;
  roles: Role[];
  roleTitles: string[];
  organization: Named | null;
  active: boolean;
  /** A demo account of the embedded default (`npm start`), never created on a PostgreSQL server. */
  demo: boolean;
  createdAt: string;
  updatedAt: string;
}

/** One change of an account: who, when, why, before and after. */
export interface UserHistoryEntry {
  at: string;
  type: string;
  actor: string;
  reason: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  grantedRoles: string[];
}

export interface UserDetail extends UserView {
  history: UserHistoryEntry[];
}
