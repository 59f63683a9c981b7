import { useRef, useState } from 'preact/hooks';
import { messageOf, request } from './api.js';
import type { DashboardOrganizationSettingsQuery, Role } from './graphql/graphql.js';
import { ConfirmModal } from './confirm-modal.js';
import { ChangeMemberRole, LeaveOrganization, RemoveMember } from './operations.js';
import { ErrorMessage } from './error-message.js';
import { InvitationsPanel } from './invitations.js';
import { ROLE_NAMES, ROLES } from './roles.js';

export type Member = NonNullable<DashboardOrganizationSettingsQuery['organization']>['members'][number];


type Props = {
  organizationId: string;
  members: Member[];
  viewerId: string;
  viewerRole: Role;
  onChange: (members: Member[]) => void;
  /** The viewer's own role changed or they left: what they may see has changed. */
  onOwnMembershipChanged: () => void;
  /** The viewer left the organization (leaveOrganization): the page must go elsewhere. */
  onLeft: () => void;
};

function displayName(member: Member): string {
  return member.user.name ? `${member.user.name} (${member.user.email})` : member.user.email;
}

export function MembersSection({ organizationId, members, viewerId, viewerRole, onChange, onOwnMembershipChanged, onLeft }: Props) {
  const canManage = viewerRole === 'OWNER' || viewerRole === 'ADMIN';
  // Only an OWNER grants or takes away the OWNER role (the server says the same).
  const assignable = viewerRole === 'OWNER' ? ROLES : ROLES.filter((role) => role !== 'OWNER');
  // The last OWNER can neither step down nor leave (the server refuses too): they are told why instead.
  const isLastOwner = viewerRole === 'OWNER' && members.filter((member) => member.role === 'OWNER').length <= 1;
  const canManageMember = (member: Member) =>
    canManage && (viewerRole === 'OWNER' || member.role !== 'OWNER') && !(isLastOwner && member.user.id === viewerId);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [removing, setRemoving] = useState<Member | null>(null);
  const [promoting, setPromoting] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);

  /** Shows what just happened, in place of an older message or error. */
  const announce = (message: string) => {
    setError(null);
    setStatus(message);
  };

  const saveRole = async (member: Member, role: Role) => {
    const { changeMemberRole } = await request(ChangeMemberRole, {
      input: { organizationId, userId: member.user.id, role },
    });
    onChange(members.map((each) => (each.user.id === member.user.id ? changeMemberRole : each)));
    announce(`${displayName(member)} is now ${ROLE_NAMES[role]}.`);
    if (member.user.id === viewerId) onOwnMembershipChanged();
  };

  const chooseRole = async (member: Member, role: Role) => {
    // Making someone OWNER hands over full control: it waits for a confirmation (the select shows
    // the role that still holds meanwhile, as the section re-renders).
    if (role === 'OWNER' && member.role !== 'OWNER') return setPromoting(member);
    try {
      await saveRole(member, role);
    } catch (caught) {
      setStatus('');
      setError(messageOf(caught));
      onChange([...members]); // re-render the select with the role that still holds
    }
  };

  return (
    <section aria-labelledby="members-heading" class="card">
      <div class="section-header">
        <h2 id="members-heading" tabIndex={-1} ref={headingRef}>
          Members
        </h2>
        {!isLastOwner && (
          <button type="button" class="danger" onClick={() => setLeaving(true)}>
            Leave organization
          </button>
        )}
      </div>
      {isLastOwner && (
        <p class="hint" data-testid="last-owner-hint">
          You are the only owner, so you cannot change your own role or leave: make someone else owner first.
        </p>
      )}
      <p class="status-message" role="status">
        {status}
      </p>
      <ErrorMessage message={error} />
      <table class="responsive-table">
        <caption class="visually-hidden">Members of this organization</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Role</th>
            {canManage && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.user.id} data-member-email={member.user.email}>
              <th scope="row" data-label="Member">
                {member.user.name && <span class="member-name">{member.user.name}</span>}
                <span class="member-email">{member.user.email}</span>
                {member.user.id === viewerId && <span class="badge">You</span>}
              </th>
              <td data-label="Role">
                {canManageMember(member) ? (
                  <select
                    aria-label={`Role of ${displayName(member)}`}
                    value={member.role}
                    onChange={(event) => chooseRole(member, (event.currentTarget as HTMLSelectElement).value as Role)}
                  >
                    {(assignable.includes(member.role) ? assignable : [member.role, ...assignable]).map((role) => (
                      <option value={role} key={role}>
                        {ROLE_NAMES[role]}
                      </option>
                    ))}
                  </select>
                ) : (
                  ROLE_NAMES[member.role]
                )}
              </td>
              {canManage && (
                <td class="actions">
                  {canManageMember(member) && (
                    <button
                      type="button"
                      class="danger"
                      aria-label={`Remove ${displayName(member)}`}
                      onClick={() => setRemoving(member)}
                    >
                      Remove
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {canManage && (
        <InvitationsPanel organizationId={organizationId} viewerRole={viewerRole} roles={assignable} onStatus={announce} />
      )}
      {leaving && (
        <ConfirmModal
          title="Leave the organization?"
          confirmLabel="Leave organization"
          busyLabel="Leaving…"
          onConfirm={async () => {
            await request(LeaveOrganization, { organizationId });
            onLeft();
          }}
          onClose={() => setLeaving(false)}
        >
          You will lose access to this organization and its API tokens. To come back, you need a new invitation.
        </ConfirmModal>
      )}
      {promoting && (
        <ConfirmModal
          title={`Make ${promoting.user.name ?? promoting.user.email} an owner?`}
          confirmLabel="Make owner"
          busyLabel="Saving…"
          tone="primary"
          onConfirm={() => saveRole(promoting, 'OWNER')}
          onClose={() => setPromoting(null)}
        >
          <strong>{displayName(promoting)}</strong> will have full control of the organization: API tokens, members
          and roles, including making other owners and removing you. Only an owner can take the role back.
        </ConfirmModal>
      )}
      {removing && (
        <ConfirmModal
          title={removing.user.id === viewerId ? 'Leave the organization?' : 'Remove member?'}
          confirmLabel={removing.user.id === viewerId ? 'Leave' : 'Remove member'}
          busyLabel="Removing…"
          onConfirm={async () => {
            await request(RemoveMember, { input: { organizationId, userId: removing.user.id } });
            onChange(members.filter((member) => member.user.id !== removing.user.id));
            announce(`${displayName(removing)} removed.`);
            if (removing.user.id === viewerId) onOwnMembershipChanged();
          }}
          onClose={() => setRemoving(null)}
          fallbackFocus={() => headingRef.current}
        >
          {removing.user.id === viewerId ? (
            'You will lose access to this organization and its API tokens.'
          ) : (
            <>
              Remove <strong>{displayName(removing)}</strong> from the organization? They lose access at once.
            </>
          )}
        </ConfirmModal>
      )}
    </section>
  );
}
