import type { Role } from './graphql/graphql.js';

export const ROLES: Role[] = ['OWNER', 'ADMIN', 'MEMBER'];
export const ROLE_NAMES: Record<Role, string> = { OWNER: 'Owner', ADMIN: 'Admin', MEMBER: 'Member' };
