import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf, request } from './api.js';
import { ConfirmModal } from './confirm-modal.js';
import { CopyOnceView } from './copy-once.js';
import { ErrorMessage } from './error-message.js';
import type { DashboardPendingInvitationsQuery, Role } from './graphql/graphql.js';
import { Modal } from './modal.js';
import { ROLE_NAMES } from './roles.js';
import { InviteMember, PendingInvitations, RevokeInvitation } from './operations.js';
import { exactTime, relativeTime } from './time.js';
import { useAction } from './use-action.js';

type Invitation = NonNullable<DashboardPendingInvitationsQuery['organization']>['invitations'][number];

type Props = {
  organizationId: string;
  viewerRole: Role;
  /** The roles the viewer may invite (only OWNERs invite OWNERs). */
  roles: Role[];
  onStatus: (message: string) => void;
};

/**
 * For OWNERs and ADMINs: invite someone by email (the link is shown once, to be sent by the inviter)
 * and the pending invitations, each revocable. The list is fetched on its own: MEMBERs may not read it.
 */
export function InvitationsPanel({ organizationId, viewerRole, roles, onStatus }: Props) {
  const [invitations, setInvitations] = useState<Invitation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    request(PendingInvitations, { id: organizationId })
      .then((data) => current && setInvitations(data.organization?.invitations ?? []))
      .catch((caught) => current && setError(messageOf(caught)));
    return () => {
      current = false;
    };
  }, [organizationId]);

  const canRevoke = (invitation: Invitation) => viewerRole === 'OWNER' || invitation.role !== 'OWNER';

  return (
    <>
      <InviteMemberForm
        organizationId={organizationId}
        roles={roles}
        onInvited={(invitation) => {
          // A new invitation of the same email replaces the pending one (the server does the same).
          setInvitations((list) => [invitation, ...(list ?? []).filter((each) => each.email !== invitation.email)]);
          onStatus(`Invitation for ${invitation.email} created.`);
        }}
      />
      <div class="pending-invitations">
        <h3 id="pending-invitations-heading" tabIndex={-1} ref={headingRef}>
          Pending invitations
        </h3>
        <ErrorMessage message={error} />
        {invitations && invitations.length === 0 && <p class="empty">No pending invitations.</p>}
        {invitations && invitations.length > 0 && (
          <table class="responsive-table">
            <caption class="visually-hidden">Pending invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id} data-invitation-email={invitation.email}>
                  <th scope="row" data-label="Email">
                    {invitation.email}
                  </th>
                  <td data-label="Role">{ROLE_NAMES[invitation.role]}</td>
                  <td data-label="Expires">
                    <time dateTime={invitation.expiresAt} title={exactTime(new Date(invitation.expiresAt))}>
                      {relativeTime(new Date(invitation.expiresAt))}
                    </time>
                  </td>
                  <td class="actions">
                    {canRevoke(invitation) && (
                      <button
                        type="button"
                        class="danger"
                        aria-label={`Revoke the invitation for ${invitation.email}`}
                        onClick={() => setRevoking(invitation)}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {revoking && (
        <ConfirmModal
          title="Revoke invitation?"
          confirmLabel="Revoke invitation"
          busyLabel="Revoking…"
          onConfirm={async () => {
            await request(RevokeInvitation, { id: revoking.id });
            setInvitations((list) => (list ?? []).filter((each) => each.id !== revoking.id));
            onStatus(`Invitation for ${revoking.email} revoked.`);
          }}
          onClose={() => setRevoking(null)}
          fallbackFocus={() => headingRef.current}
        >
          Revoke the invitation for <strong>{revoking.email}</strong>? Its link stops working at once.
        </ConfirmModal>
      )}
    </>
  );
}

function InviteMemberForm(props: { organizationId: string; roles: Role[]; onInvited: (invitation: Invitation) => void }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MEMBER');
  // The link lives only in this state: closing the modal drops it for good.
  const [inviteUrl, setInviteUrl] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    return run(async () => {
      const { inviteMember } = await request(InviteMember, {
        input: { organizationId: props.organizationId, email, role },
      });
      props.onInvited(inviteMember.invitation);
      setInviteUrl(inviteMember.inviteUrl);
      setEmail('');
      setRole('MEMBER');
    });
  };

  return (
    <>
    <form onSubmit={submit} class="add-member" aria-labelledby="invite-member-heading">
      <h3 id="invite-member-heading">Invite a member</h3>
      <p class="hint">You get a link to send them; they join once they accept it, signed in with this email.</p>
      <div class="inline-fields">
        <label>
          Email
          <input
            name="email"
            type="email"
            required
            autoComplete="off"
            value={email}
            onInput={(event) => setEmail((event.currentTarget as HTMLInputElement).value)}
          />
        </label>
        <label>
          Role
          <select name="role" value={role} onChange={(event) => setRole((event.currentTarget as HTMLSelectElement).value as Role)}>
            {props.roles.map((each) => (
              <option value={each} key={each}>
                {ROLE_NAMES[each]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Inviting…' : 'Invite'}
        </button>
      </div>
      <ErrorMessage message={error} />
    </form>
      {inviteUrl && (
        <Modal title="Copy the invitation link" onClose={() => setInviteUrl(null)}>
          <CopyOnceView
            value={inviteUrl}
            label="Invitation link"
            warning={
              <>
                <strong>This link is shown only once.</strong> Send it to the person you invited: whoever has it can
                see the invitation, and they need it to join. It works for 7 days. If you lose it, invite them again
                (the old link then stops working).
              </>
            }
            onDone={() => setInviteUrl(null)}
          />
        </Modal>
      )}
    </>
  );
}
