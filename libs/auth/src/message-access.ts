import { Injectable } from '@nestjs/common';
import { RegionCatalog } from '@cur/config';
import { DomainException, ErrorCode, hasRole, Principal } from '@cur/platform';

/** What of a message matters for access: who handles it now. */
export interface Handled {
  organizationId: string | null;
}

/** The organizations whose messages a principal sees: all of them, or a list. */
export type ReadScope = { all: true } | { all: false; organizationIds: string[] };

/**
 * Who sees and does what with a message, decided in one place:
 * - operators and supervisors see every message; agency staff see their organization's and its
 *   subordinates' (a parent oversees what it delegated);
 * - only the organization handling a message acts on it;
 * - the applicant's personal data is shown to operators and to the handling organization's
 *   staff; everyone else gets it masked.
 */
@Injectable()
export class MessageAccess {
  constructor(private readonly region: RegionCatalog) {}

  scope(principal: Principal): ReadScope {
    if (hasRole(principal, 'operator', 'supervisor')) return { all: true };
    if (hasRole(principal, 'executor', 'head') && principal.organizationId)
      return { all: false, organizationIds: this.region.withSubordinates(principal.organizationId) };
    return { all: false, organizationIds: [] };
  }

  canRead(principal: Principal, message: Handled): boolean {
    const scope = this.scope(principal);
    return scope.all || (message.organizationId !== null && scope.organizationIds.includes(message.organizationId));
  }

  /** Staff of the organization that handles the message now. */
  handles(principal: Principal, message: Handled): boolean {
    return hasRole(principal, 'executor', 'head') && principal.organizationId !== null && message.organizationId === principal.organizationId;
  }

  seesPersonalData(principal: Principal, message: Handled): boolean {
    return hasRole(principal, 'operator') || this.handles(principal, message);
  }

  /** The messages whose personal data the principal sees (seesPersonalData as a filter); null: none. */
  personalDataScope(principal: Principal): ReadScope | null {
    if (hasRole(principal, 'operator')) return { all: true };
    if (hasRole(principal, 'executor', 'head') && principal.organizationId) return { all: false, organizationIds: [principal.organizationId] };
    return null;
  }

  /** 404 when the message is not the principal's to see: its existence is not disclosed either. */
  assertReadable(principal: Principal, message: Handled | null): asserts message is Handled {
    if (!message || !this.canRead(principal, message)) throw new DomainException(ErrorCode.NotFound, 'Сообщение не найдено');
  }

  /** 404 when unseen, 403 when seen but handled by another organization (a parent, for example). */
  assertHandles(principal: Principal, message: Handled | null): asserts message is Handled {
    this.assertReadable(principal, message);
    if (!this.handles(principal, message))
      throw new DomainException(ErrorCode.Forbidden, 'Действовать по сообщению может только организация, которая его рассматривает');
  }

  /** An organization filter a principal may ask for: within its scope, or 403. Undefined = the whole scope. */
  organizationFilter(principal: Principal, requested: string | undefined): string[] | undefined {
    const scope = this.scope(principal);
    if (scope.all) return requested ? [requested] : undefined;
    if (requested === undefined) return scope.organizationIds;
    if (!scope.organizationIds.includes(requested)) {
      throw new DomainException(ErrorCode.Forbidden, 'Нет доступа к сообщениям этой организации', [
        { field: 'organizationId', message: 'Организация: вне вашей организации и подчинённых ей' },
      ]);
    }
    return [requested];
  }
}
