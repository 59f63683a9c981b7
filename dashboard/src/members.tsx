import { useRef, useState } from 'preact/hooks';
import { messageOf, request } from './api.js';
import type { DashboardOrganizationSettingsQuery, Role } from './graphql/graphql.js';
import { Modal } from './modal.js';
import { ChangeMemberRole, LeaveOrganization, RemoveMember } from './operations.js';
import { ErrorMessage } from './error-message.js';
import { InvitationsPanel } from './invitations.js';
import { ROLE_NAMES, ROLES } from './roles.js';
import { useAction } from './use-action.js';

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
  const canManageMember = (member: Member) => canManage && (viewerRole === 'OWNER' || member.role !== 'OWNER');
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [removing, setRemoving] = useState<Member | null>(null);
  const [leaving, setLeaving] = useState(false);
  // The last OWNER cannot leave (the server refuses too): they make someone else OWNER first.
  const isLastOwner = viewerRole === 'OWNER' && members.filter((member) => member.role === 'OWNER').length <= 1;
  const headingRef = useRef<HTMLHeadingElement>(null);

  const changeRole = async (member: Member, role: Role) => {
    setError(null);
    try {
      const { changeMemberRole } = await request(ChangeMemberRole, {
        input: { organizationId, userId: member.user.id, role },
      });
      onChange(members.map((each) => (each.user.id === member.user.id ? changeMemberRole : each)));
      setStatus(`${displayName(member)} is now ${ROLE_NAMES[role]}.`);
      if (member.user.id === viewerId) onOwnMembershipChanged();
    } catch (caught) {
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
      <p class="visually-hidden" role="status">
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
                    onChange={(event) => changeRole(member, (event.currentTarget as HTMLSelectElement).value as Role)}
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
        <InvitationsPanel organizationId={organizationId} viewerRole={viewerRole} roles={assignable} onStatus={setStatus} />
      )}
      {leaving && <LeaveOrganizationModal organizationId={organizationId} onLeft={onLeft} onClose={() => setLeaving(false)} />}
      {removing && (
        <RemoveMemberModal
          organizationId={organizationId}
          member={removing}
          isViewer={removing.user.id === viewerId}
          onRemoved={() => {
            onChange(members.filter((member) => member.user.id !== removing.user.id));
            setStatus(`${displayName(removing)} removed.`);
            if (removing.user.id === viewerId) onOwnMembershipChanged();
          }}
          onClose={() => setRemoving(null)}
          fallbackFocus={() => headingRef.current}
        />
      )}
    </section>
  );
}

function LeaveOrganizationModal(props: { organizationId: string; onLeft: () => void; onClose: () => void }) {
  const { busy, error, run } = useAction();

  const leave = () =>
    run(
      async () => {
        await request(LeaveOrganization, { organizationId: props.organizationId });
        props.onClose();
        props.onLeft();
      },
      { staysBusy: true },
    );

  return (
    <Modal title="Leave the organization?" onClose={props.onClose}>
      <div class="stack">
        <p>You will lose access to this organization and its API tokens. To come back, you need a new invitation.</p>
        <ErrorMessage message={error} />
        <div class="buttons">
          <button type="button" onClick={props.onClose} autoFocus>
            Cancel
          </button>
          <button type="button" class="danger" onClick={leave} disabled={busy}>
            {busy ? 'Leaving…' : 'Leave organization'}
          </button>
        </div>
      </div>
    </Modal>
  );
}

function RemoveMemberModal(props: {
  organizationId: string;
  member: Member;
  isViewer: boolean;
  onRemoved: () => void;
  onClose: () => void;
  fallbackFocus: () => HTMLElement | null;
}) {
  const { busy, error, run } = useAction();

  const remove = () =>
    run(
      async () => {
        await request(RemoveMember, { input: { organizationId: props.organizationId, userId: props.member.user.id } });
        props.onClose();
        props.onRemoved();
      },
      { staysBusy: true },
    );

  return (
    <Modal title={props.isViewer ? 'Leave the organization?' : 'Remove member?'} onClose={props.onClose} fallbackFocus={props.fallbackFocus}>
      <div class="stack">
        <p>
          {props.isViewer ? (
            'You will lose access to this organization and its API tokens.'
          ) : (
            <>
              Remove <strong>{displayName(props.member)}</strong> from the organization? They lose access at once.
            </>
          )}
        </p>
        <ErrorMessage message={error} />
        <div class="buttons">
          <button type="button" onClick={props.onClose} autoFocus>
            Cancel
          </button>
          <button type="button" class="danger" onClick={remove} disabled={busy}>
            {busy ? 'Removing…' : props.isViewer ? 'Leave' : 'Remove member'}
          </button>
        </div>
      </div>
    </Modal>
  );
}
